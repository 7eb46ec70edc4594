/** The early-payment discount open on the debtor's invoices (escompte, decision 028): sentences written by the server. */
export function DiscountOffer({ offer }: { offer: { title: string; lines: string[]; note: string } | null }) {
  if (!offer) return null;
  return (
    <section className="card" aria-labelledby="discount-offer">
      <h2 id="discount-offer" style={{ marginTop: 0 }}>
        {offer.title}
      </h2>
      <ul>
        {offer.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="muted">{offer.note}</p>
    </section>
  );
}
