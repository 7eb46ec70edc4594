/** The stand-in's SMS outbox for the dev page (/dev/sms): server-only, so the page's browser build never pulls the MSW mocks. */
export { readSms } from "./mocks/twilio";
