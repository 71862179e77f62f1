/**
 * The situations the move plan is tested against (and that scripts/plan-matrix.ts prints), each crossed with every
 * answer to "which mailbox today?". Built from answers the way the machine would: labels chosen by the person, an
 * ISP cancellation with its date, the mail to move against the offer's storage, calendar and contacts wanted.
 */
import type { Situation } from '../../src/flows/plan.js';

export interface NamedSituation {
  id: string;
  /** What a reader of the closing note sees. */
  label: string;
  situation: (oldProviderId: string) => Situation;
}

const base = (oldProviderId: string): Situation => ({ oldProviderId, domain: 'none', mailboxes: [''], sync: false });

export const SITUATIONS: NamedSituation[] = [
  { id: 'person', label: 'one person, new address', situation: base },
  { id: 'personSync', label: 'one person, calendar+contacts on the phone', situation: (id) => ({ ...base(id), sync: true }) },
  {
    id: 'family',
    label: 'family of 3 (labels), sync',
    situation: (id) => ({ ...base(id), mailboxes: ['Papa', 'Maman', 'Léa'], sync: true }),
  },
  {
    id: 'assoDomain',
    label: 'association, own domain, 3 boxes',
    situation: (id) => ({ ...base(id), domain: 'have', mailboxes: ['présidence', 'trésorerie', 'secrétariat'] }),
  },
  { id: 'wantDomain', label: 'wants a domain', situation: (id) => ({ ...base(id), domain: 'want' }) },
  {
    id: 'ispCancelling',
    label: 'ISP subscription cancelled 2027-03-31',
    situation: (id) => ({ ...base(id), isp: { cancelling: true, cancelDate: '2027-03-31' } }),
  },
  { id: 'ispKeeping', label: 'ISP subscription kept', situation: (id) => ({ ...base(id), isp: { cancelling: false } }) },
  {
    id: 'storageShort',
    label: '25 GB to move into 2 GB',
    situation: (id) => ({ ...base(id), storage: { toMoveGb: 25, offerGb: 2 } }),
  },
];
