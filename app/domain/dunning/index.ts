export * from "./types";
export * from "./policy";
export * from "./segment";
export * from "./state";
export * from "./events";
