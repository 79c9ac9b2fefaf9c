// The headers Kaltura's HTTP-notification engine sends (kaltura-protocol.md §1.2, §7).

export const KALTURA_SIGNATURE_HEADER = 'x-kaltura-signature';
export const KALTURA_HASH_ALGO_HEADER = 'x-kaltura-hash-algo';

/**
 * KCurlWrapper::HTTP_USER_AGENT, sent by every Kaltura batch HTTP request. Current servers send it bare; servers
 * before 2021 had the quotes inside the value (kaltura-protocol.md §7).
 */
export const KALTURA_BATCH_USER_AGENT = 'Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US; rv:1.9.0.6) Gecko/2009011913 Firefox/3.0.6';
