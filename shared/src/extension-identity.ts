/**
 * The extension's public key, pinned in the manifest `key`, so that every build (development, tests, a store
 * package) has the same extension ID. The API allows exactly this origin, and OAuth redirect URIs depend on it.
 * The matching private key is not in the repository: it is only needed to pack a .crx, never to build or load one.
 */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2WZG9s+JQ5oY5ml1RokZt9lxh49JPWJTIAlcs0S7Aohe6gb5YLTwA9Sw6U+NXAS3toPk7J6Xj+GyuC0tQWokqUgmP4wBgM7bi33MKVkPZs7f1ar5X1pvCRYstXQ4bJOB/nKgSzDbVGHN+rgG9Asf8IXoZrqUmo6hq/XnQf46THaT1z/hD2pvpNSS9Lsb5DTpCDtC6yYOdveH3gKO9w6QwsCUm1VS3kfectuaEO6MzrMfjTF8p1L+RjGCU93zjqawHKpt0s07RpJ8gEsNKhF/QI3a/GGL/Kj3mGH+UvUZG4V7VhXYRaFfETQSW6zwPwzS9B8wvdYMAJDLKezfMeGttQIDAQAB';

/** Derived from EXTENSION_PUBLIC_KEY (SHA-256 of the key, first 32 hex digits mapped to a-p); a test checks it. */
export const EXTENSION_ID = 'peanmomdadjpdnkgpdnihfbnefpclpcp';

export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
