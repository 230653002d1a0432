/**
 * Whether a finger on the hex pane selects bytes (instead of scrolling and tapping): the
 * instructor's choice, kept while they step from packet to packet (each packet has its own pane).
 */
export const fingerSelects = $state({ on: false });
