/**
 * Sample dossiers (codes MAU-…) in every state, so that a new installation can try the status look-up.
 * Dates are relative to today; created once, marked `sample: true`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../domain/calendar/clock';
import { addDays, localDate } from '../domain/calendar/vietnam-time';
import type { WorkingCalendar } from '../domain/calendar/working-days';
import { DossierStatus } from '../domain/dossier/dossier';
import type { Store } from '../store/types';
import type { DossierService } from './dossier-service';

const SampleDossiers = z.object({
  note: z.string(),
  dossiers: z.array(
    z.object({
      code: z.string(),
      procedureCode: z.string(),
      applicant: z.object({ name: z.string(), phone: z.string(), idNumber: z.string() }),
      receivedDaysAgo: z.number().int().nonnegative(),
      events: z.array(z.object({ status: DossierStatus, note: z.string() })),
      supplement: z.object({ documents: z.array(z.string()), reason: z.string() }).optional(),
      late: z.object({ reason: z.string(), extraWorkingDays: z.number().int().positive() }).optional(),
    }),
  ),
});

const OFFICER = 'Dữ liệu mẫu';

export async function seedSampleDossiers(
  store: Store,
  dossiers: DossierService,
  calendar: WorkingCalendar,
  clock: Clock,
  knowledgeDir: string,
): Promise<number> {
  const file = join(knowledgeDir, 'sample-dossiers.json');
  if (!existsSync(file)) return 0;
  const branches = await store.branches.list();
  if (branches.length === 0) return 0;
  const samples = SampleDossiers.parse(JSON.parse(readFileSync(file, 'utf8')));
  let created = 0;
  for (const sample of samples.dossiers) {
    if (await store.dossiers.get(sample.code)) continue;
    if (!(await store.procedures.get(sample.procedureCode))) continue;
    const received = addDays(localDate(clock.now()), -sample.receivedDaysAgo);
    try {
      await dossiers.create(
        {
          code: sample.code,
          procedureCode: sample.procedureCode,
          branchId: branches[created % branches.length].id,
          applicant: { ...sample.applicant, notify: null },
          receivedDate: received,
          sample: true,
        },
        OFFICER,
      );
    } catch {
      continue; // a procedure without a published time in working days: no sample rather than a guess
    }
    for (const event of sample.events) await dossiers.addEvent(sample.code, event.status, event.note, OFFICER);
    if (sample.supplement) await dossiers.requestSupplement(sample.code, sample.supplement.documents, sample.supplement.reason, OFFICER);
    if (sample.late) await dossiers.markLate(sample.code, sample.late.reason, calendar.addWorkingDays(localDate(clock.now()), sample.late.extraWorkingDays), OFFICER);
    created++;
  }
  return created;
}
