/** Liveness without the database (load balancers; the framework's floor in bench:portal). */
export function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
