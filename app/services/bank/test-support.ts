/** Test helpers for cash application: a camt.053 statement built from a few entries (the layout of the fixtures in domain/bank/fixtures). */
export type CamtEntry = {
  ref: string;
  amount: number;
  credit?: boolean;
  date?: string;
  payer?: string;
  iban?: string;
  rf?: string;
  text?: string;
  reversal?: boolean;
  /** Bank transaction sub-family (ESCT: a SEPA credit transfer; RRTN: a returned one). */
  subFamily?: string;
};

const money = (minor: number) => (minor / 100).toFixed(2);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function camt053(entries: CamtEntry[], opts: { account?: string; statementDate?: string } = {}) {
  const account = opts.account ?? "FR7630003000705555555555512";
  const day = opts.statementDate ?? "2026-03-10";
  const ntry = entries.map((e) => {
    const credit = e.credit ?? true;
    const party = credit
      ? `${e.payer ? `<Dbtr><Nm>${esc(e.payer)}</Nm></Dbtr>` : ""}${e.iban ? `<DbtrAcct><Id><IBAN>${e.iban}</IBAN></Id></DbtrAcct>` : ""}`
      : `${e.payer ? `<Cdtr><Nm>${esc(e.payer)}</Nm></Cdtr>` : ""}${e.iban ? `<CdtrAcct><Id><IBAN>${e.iban}</IBAN></Id></CdtrAcct>` : ""}`;
    const rmt = e.rf
      ? `<RmtInf><Strd><CdtrRefInf><Ref>${e.rf}</Ref></CdtrRefInf></Strd></RmtInf>`
      : `<RmtInf><Ustrd>${esc(e.text ?? "VIREMENT")}</Ustrd></RmtInf>`;
    return `<Ntry>
        <NtryRef>${e.ref}</NtryRef>
        <Amt Ccy="EUR">${money(e.amount)}</Amt>
        <CdtDbtInd>${credit ? "CRDT" : "DBIT"}</CdtDbtInd>
        ${e.reversal ? "<RvslInd>true</RvslInd>" : ""}
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${e.date ?? day}</Dt></BookgDt>
        <ValDt><Dt>${e.date ?? day}</Dt></ValDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>${e.subFamily ?? "ESCT"}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Amt Ccy="EUR">${money(e.amount)}</Amt>
          ${party ? `<RltdPties>${party}</RltdPties>` : ""}
          ${rmt}
        </TxDtls></NtryDtls>
      </Ntry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>TEST-${day}</MsgId><CreDtTm>${day}T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-${day}</Id>
      <CreDtTm>${day}T06:00:00</CreDtTm>
      <Acct><Id><IBAN>${account}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      ${ntry.join("\n")}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}
