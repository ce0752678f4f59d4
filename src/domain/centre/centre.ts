/**
 * What the citizen reads about "the centre": one object built from knowledge/centres/<id>.json and
 * given to the services and dialogs, so that no welcome line, hotline or hours is written in code.
 */
import type { Branch, Centre, Procedure } from '../../../knowledge/schemas';
import { fold } from '../text/normalize';

export interface CentreProfile {
  id: string;
  /** "Trung tâm Phục vụ hành chính công thành phố Hà Nội". */
  name: string;
  /** Whose own catalogue copies come first; null: no province (a directory without a centre). */
  province: string | null;
  address: string | null;
  hotlines: { number: string; label: string }[];
  openingHoursText: string | null;
  /** Where commune-level procedures are filed. */
  communeAdvice: string;
  /** Every branch id of this centre starts with it ('' : every branch in the store). */
  branchIdPrefix: string;
  /** Ids of the commune reception points; null: no rule (a directory without a centre books anywhere). */
  communePointIds: string[] | null;
}

const COMMUNE_ADVICE =
  'Thủ tục này do Ủy ban nhân dân cấp xã giải quyết: ông/bà nộp hồ sơ tại Bộ phận Một cửa của Ủy ban nhân dân xã, phường nơi mình cư trú.';

/** The profile of a centre file, or of "a centre" when the knowledge directory describes none. */
export function centreProfile(centre: Centre | null, id = 'hanoi'): CentreProfile {
  if (!centre) {
    return {
      id,
      name: 'Trung tâm Phục vụ hành chính công',
      province: null,
      address: null,
      hotlines: [],
      openingHoursText: null,
      communeAdvice: COMMUNE_ADVICE,
      branchIdPrefix: '',
      communePointIds: null,
    };
  }
  return {
    id: centre.id,
    name: centre.name,
    province: centre.province,
    address: centre.address,
    hotlines: centre.hotlines,
    openingHoursText: centre.openingHoursText,
    communeAdvice: centre.communeAdvice,
    branchIdPrefix: centre.branchIdPrefix,
    communePointIds: centre.communePoints.map((b) => b.id),
  };
}

/** The first line of the welcome: who is speaking for which centre. */
export function welcomeLine(centre: CentreProfile): string {
  return `Xin chào! Tôi là trợ lý Một Cửa của ${centre.name}.`;
}

/**
 * How to call the centre, inside a sentence ("xin gọi …", "phản ánh qua …"): its first published
 * hotline, or the centre by name when its file publishes none (never another centre's number).
 */
export function hotlineText(centre: CentreProfile | null | undefined): string {
  const first = centre?.hotlines[0];
  if (first) return `đường dây nóng ${first.number}`;
  return `đường dây nóng của ${centre?.name ?? 'Trung tâm'}`;
}

/** "Đường dây nóng: 024.1022 (nhánh 7, 8) (Tổng đài hỗ trợ)…", or null when the centre publishes none. */
export function contactLine(centre: CentreProfile): string | null {
  const parts: string[] = [];
  if (centre.hotlines.length > 0) parts.push(`Đường dây nóng: ${centre.hotlines.map((h) => `${h.number} (${h.label})`).join('; ')}.`);
  if (centre.address) parts.push(`Địa chỉ: ${centre.address}.`);
  if (centre.openingHoursText) parts.push(`Giờ làm việc: ${centre.openingHoursText}.`);
  return parts.length > 0 ? `${centre.name}. ${parts.join(' ')}` : null;
}

/**
 * Whether a procedure is settled at the commune level (filed at the commune's one-stop unit, not at
 * a city branch): its levels say only "commune", or its competent agency is a commune People's
 * Committee ("Ủy ban nhân dân cấp xã", "UBND cấp xã", "Chủ tịch Ủy ban nhân dân cấp xã").
 */
export function isCommuneLevel(procedure: Pick<Procedure, 'levels' | 'agency'>): boolean {
  if (procedure.levels.length > 0 && procedure.levels.every((l) => l === 'commune')) return true;
  const agency = fold(procedure.agency);
  return /(uy ban nhan dan|ubnd) cap xa/.test(agency) && !/cap (tinh|huyen)/.test(agency);
}

/** A branch id of this centre (a province-wide store holds every centre's). */
export function ownsBranch(centre: CentreProfile, branchId: string): boolean {
  return branchId.startsWith(centre.branchIdPrefix);
}

/** Whether the centre has somewhere to book a commune-level procedure (a commune reception point). */
export function booksCommuneLevel(centre: CentreProfile): boolean {
  return centre.communePointIds === null || centre.communePointIds.length > 0;
}

/**
 * Why a procedure may not be booked at a place of this centre, or null: a commune-level procedure is
 * filed at a commune reception point, never at a city branch (the citizen is told where to go).
 */
export function receptionRefusal(
  centre: CentreProfile,
  branchId: string,
  procedure: Pick<Procedure, 'levels' | 'agency'>,
): { code: 'commune_level' | 'not_received_here'; message: string } | null {
  if (centre.communePointIds === null) return null;
  const atCommunePoint = centre.communePointIds.includes(branchId);
  if (atCommunePoint && !byPeoplesCommittee(procedure)) {
    // A commune one-stop point receives its People's Committee's procedures; the police, a department
    // or a ministry settle theirs elsewhere.
    return { code: 'not_received_here', message: `Điểm tiếp nhận cấp xã không nhận thủ tục này: thủ tục do ${procedure.agency} giải quyết.` };
  }
  if (!isCommuneLevel(procedure) || atCommunePoint) return null;
  return { code: 'commune_level', message: centre.communeAdvice };
}

/** A place can be booked: it is operating and has hours to book in and a counter to book at. */
export function isBookable(place: Pick<Branch, 'status' | 'openingHours' | 'counters'>): boolean {
  return place.status === 'operating' && place.openingHours.length > 0 && place.counters.length > 0;
}

/** Whether a place is a commune-level one-stop point (its record says so, or the centre lists it as one). */
export function isCommunePoint(centre: CentreProfile | null | undefined, place: Pick<Branch, 'id'> & { kind?: Branch['kind'] }): boolean {
  return place.kind === 'commune' || (centre?.communePointIds?.includes(place.id) ?? false);
}

type Place = Pick<Branch, 'id' | 'status' | 'openingHours' | 'counters'> & { kind?: Branch['kind'] };

/**
 * The places a procedure can be booked at, in the order given (nearest first when sorted so): bookable
 * ones that receive it. A commune-level procedure is offered only at commune points, any other at every
 * bookable place (receptionRefusal); without a centre every bookable place.
 */
export function placesFor<P extends Place>(centre: CentreProfile | null | undefined, places: readonly P[], procedure: Pick<Procedure, 'levels' | 'agency'>): P[] {
  return places.filter((p) => isBookable(p) && (!centre || receptionRefusal(centre, p.id, procedure) === null));
}

/**
 * Whether a People's Committee settles the procedure: what a commune one-stop point receives. The
 * commune police's procedures (ID card, residence) are filed with the police, so no commune point is
 * offered for them.
 */
export function byPeoplesCommittee(procedure: Pick<Procedure, 'agency'>): boolean {
  return /uy ban nhan dan|ubnd/.test(fold(procedure.agency));
}

/**
 * Where a commune-level procedure is filed when no place books it. A People's Committee procedure: the
 * centre's advice, then the commune points on record with their addresses (their hours are not
 * published, so no booking). Another commune-level body (the commune police for ID cards and
 * residence): that body, named from the record, since the commune one-stop points are not where the
 * record says to file.
 */
export function communeFilingText(
  centre: CentreProfile,
  places: readonly (Pick<Branch, 'id' | 'name' | 'address' | 'status'> & { kind?: Branch['kind'] })[],
  procedure?: Pick<Procedure, 'agency' | 'onlineLevel'> & { nonBoundary?: boolean | null },
): string {
  if (procedure && !byPeoplesCommittee(procedure)) {
    const online = procedure.onlineLevel === 'full' || procedure.onlineLevel === 'partial' ? ' (hoặc trực tuyến trên Cổng Dịch vụ công quốc gia)' : '';
    // Where the record says whether the body takes dossiers from outside its area; otherwise "có thẩm quyền".
    const where = procedure.nonBoundary === true ? 'ở bất kỳ địa phương nào' : procedure.nonBoundary === false ? 'nơi mình cư trú' : 'có thẩm quyền';
    return `Thủ tục này do ${procedure.agency} giải quyết: ông/bà nộp hồ sơ tại ${procedure.agency} ${where}${online}.`;
  }
  const points = places.filter((p) => p.status === 'operating' && isCommunePoint(centre, p));
  if (points.length === 0) return centre.communeAdvice;
  const list = points.map((p) => `- ${p.name}: ${p.address}`).join('\n');
  return `${centre.communeAdvice}\n\nMột số điểm tiếp nhận cấp xã (địa chỉ theo tin công bố; chưa đặt lịch trực tuyến được, ông/bà đến trực tiếp):\n${list}`;
}
