export * from "./rates";
export * from "./late-charges";
export * from "./terms";
export * from "./prescription";
export * from "./court";
