/** How long the server listens for a student's own client, and most clients it serves then. */
export const OWN_CLIENT_LISTEN_MS = 120_000;
export const OWN_CLIENT_CONNECTIONS = 10;
