/**
 * What a ticket and the guide say to each other about the person's side: the news the guide passes on (claimed,
 * closed…) and the person's one-tap rating of the help. A leaf both machines' types import, so that neither
 * imports the other's.
 */

/** News of their ticket the guide tells the person. */
export type UserNews = 'claimed' | 'released' | 'closed' | 'handedBack' | 'stillThere' | 'closedInactive';

/** The person's one-tap answer to "did this help?" once the ticket is closed. */
export const TICKET_RATINGS = ['helped', 'partly', 'not'] as const;
export type TicketRatingValue = (typeof TICKET_RATINGS)[number];
