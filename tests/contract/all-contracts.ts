/**
 * Every repository's contract, in the order they run. Both store tests run exactly this list, so
 * a repository added to the Store interface gets its suite here and runs on both stores.
 */
import type { ContractSuite } from './harness';
import { branchesContract, metaContract, proceduresContract } from './catalogue-contract';
import { countersContract, leasesContract } from './counters-contract';
import { dossiersContract, outboxContract } from './dossier-contract';
import { tokensContract } from './token-contract';
import { botStateContract, transcriptsContract } from './chat-contract';
import { checklistsContract, feedbackContract } from './citizen-records-contract';

export const STORE_CONTRACTS: Record<string, ContractSuite> = {
  ping: (ctx) => {
    it('answers a ping', async () => {
      await expect(ctx.store.ping()).resolves.toBeUndefined();
    });
  },
  procedures: proceduresContract,
  branches: branchesContract,
  meta: metaContract,
  counters: countersContract,
  leases: leasesContract,
  dossiers: dossiersContract,
  outbox: outboxContract,
  tokens: tokensContract,
  botState: botStateContract,
  transcripts: transcriptsContract,
  feedback: feedbackContract,
  checklists: checklistsContract,
  // Bookings and waitlist: the booking developer's tests/contract/booking-contract.ts goes here,
  // e.g. `bookings: bookingsContract, waitlist: waitlistContract` (each a ContractSuite).
};
