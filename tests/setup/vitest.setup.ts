// Tests run with a fixed timezone so date arithmetic is deterministic.
process.env.TZ = "UTC";
