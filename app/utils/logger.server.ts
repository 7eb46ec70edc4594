import pino from "pino";
import { logLevelFrom } from "./env.server";
import { singleton } from "./singleton.server";

export const logger = singleton("logger", () =>
  pino({
    level: logLevelFrom(process.env),
    base: undefined,
    redact: ["req.headers.cookie", "req.headers.authorization", "token"],
  }),
);
