/** What a citizen sees of a booking: the phone masked, nothing internal (seat or request keys). */
import { maskPhone, type Booking } from '../domain/booking/booking';

export interface PublicBooking {
  code: string;
  status: Booking['status'];
  procedureCode: string;
  procedureName: string;
  branchId: string;
  branchName: string;
  start: string;
  date: string;
  name: string;
  phone: string;
  priority: boolean;
}

export function publicBooking(b: Booking): PublicBooking {
  return {
    code: b.code,
    status: b.status,
    procedureCode: b.procedureCode,
    procedureName: b.procedureName,
    branchId: b.branchId,
    branchName: b.branchName,
    start: b.start,
    date: b.date,
    name: b.name,
    phone: maskPhone(b.phone),
    priority: b.priority,
  };
}
