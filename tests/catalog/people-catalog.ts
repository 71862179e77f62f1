/**
 * A small catalogue shaped after ../shared/context/provider-facts-checked.md (2026-12-01): the hosts the advice
 * review went wrong with, with the facts that matter for them. Fixed here so that the table of people does not move
 * when data/providers.json is edited; the generic properties are also run on the real data (people.test.ts).
 * Prices and storage are those of the checked facts where found; where they were not, the fact is "unknown".
 */
import type { Catalog } from '../../src/catalog/types.js';
import { catalogOf, host, known, offer } from './helpers.js';


export const peopleCatalog: Catalog = catalogOf(
  // In Amsterdam (Stichting Disroot.org): never for "en France". Free; own domain as a perk on request.
  host(
    'disroot',
    { country: known('NL'), kind: known('foundation'), imap: known(true), membershipRequired: known(false) },
    offer('free', { eurPerMonth: known(0), eurPerYear: known(0), customDomain: known(false), sync: known('caldav'), audience: known(['person']), imap: known(true), membershipRequired: known(false) }, 'Disroot'),
  ),
  // mailbox.org: Light ≈ 1 € without own domain; Standard 2.50 € with it. 30-day trial.
  host(
    'mailbox-org',
    { country: known('DE'), kind: known('company'), imap: known(true), membershipRequired: known(false) },
    offer('light', { eurPerMonth: known(1), storageGb: known(2), customDomain: known(false), sync: known('caldav'), audience: known(['person', 'family']), imap: known(true), membershipRequired: known(false), mailboxes: known(1), extraMailboxEurPerMonth: known(null), trialDays: known(30) }, 'Light'),
    offer('standard', { eurPerMonth: known(2.5), storageGb: known(10), customDomain: known(true), sync: known('caldav'), audience: known(['person', 'family', 'business']), imap: known(true), membershipRequired: known(false), mailboxes: known(1), extraMailboxEurPerMonth: known(2.5), trialDays: known(30) }, 'Standard'),
  ),
  // Posteo: 1 €, 2 GB, no own domain, synced address book and calendar.
  host(
    'posteo',
    { country: known('DE'), kind: known('company'), imap: known(true), membershipRequired: known(false) },
    offer('posteo', { eurPerMonth: known(1), storageGb: known(2), customDomain: known(false), sync: known('caldav'), audience: known(['person']), imap: known(true), membershipRequired: known(false), mailboxes: known(1), extraMailboxEurPerMonth: known(null) }, 'Posteo'),
  ),
  // Proton: free up to 1 GB; calendar only in Proton's apps; no IMAP without Bridge (paid).
  host(
    'proton',
    { country: known('CH'), kind: known('company'), imap: known(false), membershipRequired: known(false) },
    offer('free', { eurPerMonth: known(0), storageGb: known(1), customDomain: known(false), sync: known('appOnly'), audience: known(['person']), imap: known(false), membershipRequired: known(false) }, 'Proton Free'),
    offer('plus', { storageGb: known(15), customDomain: known(true), sync: known('appOnly'), audience: known(['person']), imap: known(false), membershipRequired: known(false) }, 'Mail Plus'),
  ),
  // Tuta: free 1 GB, own domain on any paid plan, calendar in its apps only, no IMAP.
  host(
    'tuta',
    { country: known('DE'), kind: known('company'), imap: known(false), membershipRequired: known(false) },
    offer('free', { eurPerMonth: known(0), storageGb: known(1), customDomain: known(false), sync: known('appOnly'), audience: known(['person']), imap: known(false), membershipRequired: known(false) }, 'Free'),
  ),
  // Infomaniak: free for life, 20 GB of mail.
  host(
    'infomaniak',
    { country: known('CH'), kind: known('company'), imap: known(true), membershipRequired: known(false) },
    offer('free', { eurPerMonth: known(0), storageGb: known(20), customDomain: known(false), sync: known('caldav'), audience: known(['person']), imap: known(true), membershipRequired: known(false), mailboxes: known(1), extraMailboxEurPerMonth: known(null) }, 'kSuite free'),
  ),
  // Sans-nuage (ARN): its offer is for associations, members of ARN.
  host(
    'sans-nuage',
    { country: known('FR'), kind: known('association'), membershipRequired: known(true), humanSupport: known(true), frenchSupport: known(true) },
    offer('asso', { eurPerMonth: known(4.17), storageGb: known(40), audience: known(['association']), membershipRequired: known(true), mailboxes: known(10), extraMailboxEurPerMonth: known(null) }, 'Offre associations'),
  ),
  // Mailo: French, free 1 GB (third-party figure); paid plans not read first-hand.
  host(
    'mailo',
    { country: known('FR'), kind: known('company'), imap: known(true), membershipRequired: known(false), frenchSupport: known(true) },
    offer('free', { eurPerMonth: known(0), storageGb: known(1, 'Third-party figure.'), customDomain: known(false), audience: known(['person', 'family']), imap: known(true), membershipRequired: known(false) }, 'Mailo Free'),
  ),
  // Iroco: 3.60 € a month, 5 GB, CalDAV/CardDAV, no own domain yet, no webmail.
  host(
    'iroco',
    { country: known('FR'), kind: known('company'), imap: known(true), membershipRequired: known(false), frenchSupport: known(true) },
    offer('mail', { eurPerMonth: known(3.6), storageGb: known(5), customDomain: known(false), sync: known('caldav'), audience: known(['person']), imap: known(true), webmail: known(false), membershipRequired: known(false), mailboxes: known(1), extraMailboxEurPerMonth: known(null) }, 'Iroco'),
  ),
  // Gandi: mail only on a domain you hold there.
  host(
    'gandi',
    { country: known('FR'), kind: known('company'), requiresOwnDomain: known(true), imap: known(true), membershipRequired: known(false) },
    offer('mail', { eurPerMonth: known(4.79), storageGb: known(10), customDomain: known(true), audience: known(['person', 'business', 'association']), imap: known(true), membershipRequired: known(false), mailboxes: known(null) }, 'Gandi Mail'),
  ),
  // La Mère Zaclys: French association; prices, storage, calendar not found first-hand.
  host('zaclys', { country: known('FR'), kind: known('association'), chatons: known(true), membershipRequired: known(false) }),
);
