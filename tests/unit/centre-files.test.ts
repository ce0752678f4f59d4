/**
 * The bundled centre files (knowledge/centres/*.json): each parses, every place has a source or says
 * it is a sample, ids are unique, and the commune-level rule holds (a commune-level procedure is
 * offered at commune points only). Read-only: the files are parsed in memory, nothing is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Centre, type Branch } from '../../knowledge/schemas';
import { centreAnswer } from '../../src/bot/short-answers';
import { centreProfile, communeFilingText, isBookable, isCommunePoint, placesFor, receptionRefusal } from '../../src/domain/centre/centre';
import { KNOWLEDGE_DIR } from '../helpers';

const DIR = join(KNOWLEDGE_DIR, 'centres');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const raw = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8'));
const centres = files.map((file) => ({ file, centre: Centre.parse(raw(file)) }));
const places = (c: Centre): Branch[] => [...c.branches, ...c.communePoints];

const BIRTH = { levels: ['commune' as const], agency: 'Ủy ban nhân dân cấp xã' };
const PROVINCE = { levels: ['province' as const], agency: 'Sở Tư pháp' };

/** Every string of a JSON value, with where it is. */
function strings(value: unknown, path = '$'): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

describe('centre files', () => {
  it('are there, one per centre, each named after its id', () => {
    expect(files).toEqual(['binhduong.json', 'hanoi.json', 'hcmc.json', 'nghean.json']);
    for (const { file, centre } of centres) expect(`${centre.id}.json`).toBe(file);
  });

  it.each(files)('%s parses against the Centre schema', (file) => {
    const parsed = Centre.safeParse(raw(file));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it.each(files)('%s is in Unicode NFC throughout', (file) => {
    const notNfc = strings(raw(file)).filter((s) => s.text !== s.text.normalize('NFC')).map((s) => s.path);
    expect(notNfc).toEqual([]);
  });

  it('every branch and commune point has a source, or is marked sample; a verified one has nothing unsourced', () => {
    for (const { centre } of centres) {
      for (const p of places(centre)) {
        expect({ id: p.id, ok: p.source !== null || p.sample }).toEqual({ id: p.id, ok: true });
        if (p.verified) expect({ id: p.id, source: p.source !== null, sample: p.sample, unverified: p.unverifiedFields }).toEqual({ id: p.id, source: true, sample: false, unverified: [] });
        // A record with invented values is never presented as checked.
        if (p.sample) expect(p.verified).toBe(false);
      }
    }
  });

  it('a place with no published hours says so, and is not bookable', () => {
    for (const { centre } of centres) {
      for (const p of places(centre).filter((x) => x.openingHours.length === 0)) {
        expect({ id: p.id, listed: p.unverifiedFields.includes('openingHours') }).toEqual({ id: p.id, listed: true });
        expect(isBookable(p)).toBe(false);
      }
    }
  });

  it('ids are unique within and across the files, and start with their centre prefix', () => {
    const ids = centres.flatMap(({ centre }) => places(centre).map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const { centre } of centres) for (const p of places(centre)) expect(p.id.startsWith(centre.branchIdPrefix)).toBe(true);
    const prefixes = centres.map(({ centre }) => centre.branchIdPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('branches are kind "branch" and commune points kind "commune"', () => {
    for (const { centre } of centres) {
      expect(centre.branches.every((b) => b.kind === 'branch')).toBe(true);
      expect(centre.communePoints.every((b) => b.kind === 'commune')).toBe(true);
    }
  });

  it('Hà Nội lists commune-level points with their addresses, apart from its branches', () => {
    const hanoi = centres.find(({ centre }) => centre.id === 'hanoi')!.centre;
    expect(hanoi.communePoints.length).toBeGreaterThanOrEqual(3);
    for (const p of hanoi.communePoints) {
      expect(p.source).not.toBeNull();
      expect(p.address).toMatch(/^Số \d+ /);
      // The address is sourced; hours and counters are sample data (as at the branches), so marked.
      expect(p.sample).toBe(true);
      expect(p.unverifiedFields).toEqual(expect.arrayContaining(['openingHours', 'counters']));
    }
  });
});

describe('the commune-level rule on the bundled centres', () => {
  it.each(files)('%s: a commune-level procedure is refused at every branch and received at every commune point', (file) => {
    const centre = Centre.parse(raw(file));
    const profile = centreProfile(centre);
    for (const b of centre.branches) expect(receptionRefusal(profile, b.id, BIRTH)?.code).toBe('commune_level');
    for (const p of centre.communePoints) expect(receptionRefusal(profile, p.id, BIRTH)).toBeNull();
    // Booking offers it only at a commune point; a province-level procedure at every branch (a commune
    // point receives its People's Committee's procedures only).
    expect(placesFor(profile, places(centre), BIRTH).every((p) => isCommunePoint(profile, p))).toBe(true);
    for (const b of centre.branches) expect(receptionRefusal(profile, b.id, PROVINCE)).toBeNull();
  });

  it('a commune point with hours and counters is what booking offers for a commune-level procedure; a city branch for the rest', () => {
    const hanoi = Centre.parse(raw('hanoi.json'));
    const [first, ...rest] = hanoi.communePoints;
    const closed = rest.map((p) => ({ ...p, openingHours: [] }));
    const all = [...hanoi.branches, first, ...closed];
    const profile = centreProfile(hanoi);
    expect(placesFor(profile, all, BIRTH).map((p) => p.id)).toEqual([first.id]);
    const province = placesFor(profile, all, PROVINCE).map((p) => p.id);
    expect(province).toEqual(hanoi.branches.map((b) => b.id));
  });

  it('a commune point receives its People\'s Committee\'s procedures only: not the commune police\'s, not a department\'s', () => {
    const hanoi = Centre.parse(raw('hanoi.json'));
    const profile = centreProfile(hanoi);
    const idCard = { levels: ['commune' as const], agency: 'Công an cấp xã' };
    expect(placesFor(profile, places(hanoi), idCard)).toEqual([]);
    for (const p of hanoi.communePoints) {
      expect(receptionRefusal(profile, p.id, idCard)?.code).toBe('not_received_here');
      expect(receptionRefusal(profile, p.id, PROVINCE)?.code).toBe('not_received_here');
    }
  });

  it('with no commune point that books it, the citizen is told where to file and given the points on record', () => {
    const hanoi = Centre.parse(raw('hanoi.json'));
    const profile = centreProfile(hanoi);
    const unbookable = places(hanoi).map((p) => (p.kind === 'commune' ? { ...p, openingHours: [] } : p));
    expect(placesFor(profile, unbookable, BIRTH)).toEqual([]);
    const text = communeFilingText(profile, unbookable);
    expect(text.startsWith(hanoi.communeAdvice)).toBe(true);
    for (const p of hanoi.communePoints) expect(text).toContain(`${p.name}: ${p.address}`);
    for (const b of hanoi.branches) expect(text).not.toContain(b.address);
  });

  it('names the body of a commune-level procedure that is not the People\'s Committee (the commune police for an ID card)', () => {
    const profile = centreProfile(Centre.parse(raw('hanoi.json')));
    const text = communeFilingText(profile, places(Centre.parse(raw('hanoi.json'))), { agency: 'Công an cấp xã', onlineLevel: 'partial', nonBoundary: false });
    expect(text).toMatch(/^Thủ tục này do Công an cấp xã giải quyết: ông\/bà nộp hồ sơ tại Công an cấp xã nơi mình cư trú \(hoặc trực tuyến/);
    expect(text).not.toMatch(/Ủy ban nhân dân/);
  });
});

describe('the Centre schema refuses', () => {
  const hanoi = () => raw('hanoi.json');
  const issues = (data: unknown) => {
    const parsed = Centre.safeParse(data);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('a repeated id', () => {
    const data = hanoi();
    data.communePoints[0].id = data.branches[0].id;
    expect(issues(data)).toEqual([expect.stringMatching(/^communePoints\.0\.id: mã hn-cn01 bị trùng/)]);
  });
  it('a commune point that is not kind "commune"', () => {
    const data = hanoi();
    data.communePoints[1].kind = 'branch';
    expect(issues(data)).toEqual([expect.stringMatching(/^communePoints\.1\.kind: /)]);
  });
  it('a place with no source that is not marked sample', () => {
    const data = hanoi();
    data.branches[0].source = null;
    data.branches[0].sample = false;
    expect(issues(data)).toEqual([expect.stringMatching(/^branches\.0\.source: /)]);
  });
  it('a place marked verified with fields still unsourced', () => {
    const data = hanoi();
    data.communePoints[0].verified = true;
    expect(issues(data)).toEqual([expect.stringMatching(/^communePoints\.0\.verified: /)]);
  });
  it('empty hours not listed as unverified', () => {
    const data = hanoi();
    data.communePoints[2].openingHours = [];
    data.communePoints[2].unverifiedFields = data.communePoints[2].unverifiedFields.filter((f: string) => f !== 'openingHours');
    expect(issues(data)).toEqual([expect.stringMatching(/^communePoints\.2\.openingHours: /)]);
  });
});

describe('what the bot says from the Hà Nội file', () => {
  const hanoi = Centre.parse(raw('hanoi.json'));
  const all = places(hanoi);

  it('counts and lists only branches as branches; commune points follow, for commune-level procedures', () => {
    const { text } = centreAnswer('list', 'các chi nhánh', all, null);
    expect(text).toMatch(/\(3\); nộp ở chi nhánh nào cũng được/);
    const [branchPart, communePart] = text.split('Thủ tục cấp xã');
    for (const p of hanoi.communePoints) {
      expect(branchPart).not.toContain(p.address);
      expect(communePart).toContain(`${p.name}: ${p.address}`);
    }
  });

  it('says sample hours are sample, and unpublished hours are unpublished', () => {
    expect(centreAnswer('hours', 'giờ làm việc', all, null).text).toMatch(/giờ mẫu, chưa có nguồn công bố/);
    const point = centreAnswer('address', 'địa chỉ điểm phục vụ phường Phú Thượng', all, null);
    expect(point.branch?.id).toBe('hn-px-phuthuong');
    expect(point.text).toMatch(/Số 58 Phú Gia.*Giờ làm việc: .*\(giờ mẫu, chưa có nguồn công bố\)/);
    const unpublished = all.map((p) => (p.id === 'hn-px-phuthuong' ? { ...p, openingHours: [] } : p));
    expect(centreAnswer('address', 'địa chỉ điểm phục vụ phường Phú Thượng', unpublished, null).text).toMatch(/Số 58 Phú Gia.*Giờ làm việc: chưa có thông tin công bố\./);
  });
});
