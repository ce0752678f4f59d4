/**
 * What every channel's delivery asks before sending a notification: is it still wanted (a booking
 * reminder for a booking cancelled or moved since is not), and, when it has to go as a Zalo template
 * message (ZNS) to the phone, with which values.
 */
import { formatDate } from '../domain/dossier/dossier';
import type { Notification, Store } from '../store/types';

/**
 * How long a process that took a notification has to send it (a Zalo send with its retries and a
 * token refresh takes seconds). Past that, another process's poll takes it again: a process that
 * crashed mid-send delays its notifications by at most this long and loses none.
 */
export const SENDING_LEASE_MS = 5 * 60_000;

/**
 * Takes a notification for sending, atomically in the store: of every process polling the outbox,
 * the one that gets true sends it; the others pass it by. Delivery is once unless a sender crashes
 * (or takes longer than the lease) between sending and marking it delivered: then it is sent again.
 */
export function takeForSending(store: Store, n: Notification, now = Date.now()): Promise<boolean> {
  return store.outbox.take(n.id, new Date(now).toISOString(), new Date(now + SENDING_LEASE_MS).toISOString());
}

/** A reminder is sent only while its booking is confirmed at the time the reminder was made for. */
export async function stillWanted(store: Store, n: Notification): Promise<boolean> {
  if (n.kind !== 'booking_reminder') return true;
  const booking = await store.bookings.get(n.ref);
  return booking !== null && booking.status === 'confirmed' && booking.start === n.bookingStart;
}

/**
 * Whether a notification may go to the phone number as a template message: never for the sample
 * dossiers created on first start (their phones, 09000000NN, belong to nobody we may message).
 */
export async function mayGoByPhone(store: Store, n: Notification): Promise<boolean> {
  if (n.kind === 'booking_reminder' || n.kind === 'slot_freed') return true;
  const dossier = await store.dossiers.get(n.ref);
  return dossier !== null && !dossier.sample;
}

/**
 * The values a ZNS template of this kind receives. The templates registered with Zalo must use these
 * parameter names: booking reminder `customer_name`, `booking_code`, `procedure_name`, `branch_name`,
 * `appointment_time`; dossier notifications `dossier_code` (and `new_due_date` for a late dossier).
 */
export async function templateData(store: Store, n: Notification): Promise<Record<string, string>> {
  if (n.templateData) return n.templateData;
  if (n.kind === 'dossier_late') {
    const dossier = await store.dossiers.get(n.ref);
    return { dossier_code: n.ref, new_due_date: dossier?.apology ? formatDate(dossier.apology.newDueDate) : '' };
  }
  return { dossier_code: n.ref };
}
