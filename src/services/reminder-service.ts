/**
 * Booking reminders, by default the day before and an hour before the appointment
 * (`REMINDER_OFFSETS`). A periodic job finds the confirmed bookings whose reminder is due and claims
 * each reminder in the outbox under a unique key (booking, appointment time, offset): two processes
 * running the job create it once, and a booking moved to another time gets reminders for the new time
 * (the old time's reminder, if still queued, is dropped at delivery). Cancelled bookings get none.
 * The reminder goes where the citizen booked (web chat conversation or Zalo); a booking made without a
 * chat (the website's form) goes as a Zalo template message to the phone when one is configured.
 */
import { randomUUID } from 'node:crypto';
import type { Booking } from '../domain/booking/booking';
import type { Clock } from '../domain/calendar/clock';
import { formatHourMinute, localDate, localMinutes, addDays } from '../domain/calendar/vietnam-time';
import { formatDate } from '../domain/dossier/dossier';
import type { Logger } from '../logger';
import type { Notification, Store } from '../store/types';

export interface ReminderOptions {
  /** How long before the appointment, ms, largest first. */
  offsets: number[];
  /** Whether a booking with no chat channel can be reminded by phone (a ZNS reminder template is configured). */
  byPhone: boolean;
}

/** "1d", "1h", "30m": the offset in the claim key, readable in the store. */
export function offsetLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${Math.round(ms / 60_000)}m`;
}

export const cancelCommand = (code: string) => `Hủy lịch ${code}`;

export function reminderText(b: Booking, offset: number): string {
  const when = `${formatHourMinute(localMinutes(new Date(b.start)))} ${offset >= 86_400_000 ? 'ngày mai' : 'hôm nay'}, ${formatDate(b.date)}`;
  return (
    `Nhắc lịch hẹn: ${b.procedureName} tại ${b.branchName}, lúc ${when}. Mã đặt lịch: ${b.code}.\n\n` +
    `Xin mang theo giấy tờ và đến trước giờ hẹn ít phút. Nếu không đến được, xin bấm "${cancelCommand(b.code)}" để nhường chỗ cho người khác.`
  );
}

export class ReminderService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: ReminderOptions,
    private readonly log: Logger,
  ) {}

  /**
   * The reminders due now: for each booking, the smallest offset whose moment has passed (a server
   * that was down a day sends the hour-before reminder, not both). Returns how many it created.
   */
  async run(): Promise<number> {
    const { offsets } = this.options;
    if (offsets.length === 0) return 0;
    const now = this.clock.now();
    const today = localDate(now);
    const lastDay = localDate(new Date(now.getTime() + offsets[0]));
    const days: string[] = [];
    for (let d = today; d <= lastDay; d = addDays(d, 1)) days.push(d);
    let created = 0;
    for (const branch of await this.store.branches.list()) {
      for (const date of days) {
        for (const booking of await this.store.bookings.listForBranchDay(branch.id, date)) {
          if (booking.status !== 'confirmed') continue;
          const untilStart = Date.parse(booking.start) - now.getTime();
          if (untilStart <= 0) continue;
          // An offset the booking was made within (booked at 15:00 for 9:00 tomorrow) is skipped: the
          // citizen has just been told; the smaller offsets still remind them.
          const lead = Date.parse(booking.start) - Date.parse(booking.createdAt);
          const due = offsets.filter((o) => untilStart <= o && lead > o);
          if (due.length === 0) continue;
          if (await this.remind(booking, due[due.length - 1])) created++;
        }
      }
    }
    return created;
  }

  private async remind(b: Booking, offset: number): Promise<boolean> {
    const channel = b.notify ?? (this.options.byPhone ? { channel: 'zns', address: null } : null);
    if (!channel) return false;
    const dedupeKey = `reminder|${b.code}|${b.start}|${offsetLabel(offset)}`;
    const notification: Notification & { dedupeKey: string } = {
      id: randomUUID(),
      recipient: { phone: b.phone, channel: channel.channel, address: channel.address },
      kind: 'booking_reminder',
      text: reminderText(b, offset),
      ref: b.code,
      createdAt: this.clock.now().toISOString(),
      deliveredAt: null,
      dedupeKey,
      actions: [cancelCommand(b.code)],
      bookingStart: b.start,
      templateData: {
        customer_name: b.name,
        booking_code: b.code,
        procedure_name: b.procedureName.slice(0, 100),
        branch_name: b.branchName.slice(0, 100),
        appointment_time: `${formatHourMinute(localMinutes(new Date(b.start)))} ${formatDate(b.date)}`,
      },
    };
    const claimed = await this.store.outbox.claim(notification);
    if (claimed) this.log.info('booking reminder queued', { channel: channel.channel, offset: offsetLabel(offset) });
    return claimed;
  }
}
