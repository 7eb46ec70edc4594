// Tests run with a fixed timezone so date arithmetic is deterministic.
process.env.TZ = "UTC";
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdefghijklmnop";
process.env.PORTAL_TOKEN_SECRET ??= "test-portal-secret-0123456789abcdefghijklmnopq";
// No APP_URL: the public URL is derived from PORT, as in `PORT=4301 npm start`.
process.env.PORT ??= "3000";
process.env.MOCKS ??= "true";
process.env.LOG_LEVEL ??= "silent";
