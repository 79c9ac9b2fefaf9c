// Trigger Custom Sample opens the user's last sent edit of a sample again: it is kept in globalState per kind.

/** Where the last sent edit of a custom sample is kept, per kind. */
export const customSampleKey = (kind: string): string => `kalturaWebhooks.customSample.${kind}`;
