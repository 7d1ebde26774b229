/**
 * English stop words (the usual function words) plus the filler of abstracts ("we propose a novel method…"),
 * which would otherwise top every paper's keyphrases. Keyphrases never start or end with one.
 */
export const STOP_WORDS = new Set(
  `a about above across after again against all almost along already also although always am among an and
another any anyone anything are around as at be because been before being below between both but by can
cannot could did do does doing done down due during each either else enough etc even ever every few for from
further get gets given gives had has have having he her here hers herself him himself his how however i if in
into is it its itself just least less like made make makes many may me might more most much must my myself
need needs neither no nor not now of off often on once one only onto or other others otherwise our ours ourselves out
over own per perhaps rather same several she should since so some such than that the their theirs them
themselves then there therefore these they this those though three through thus to together too toward
towards two under until up upon us use used uses using very via was we well were what whatever when where
whereas whether which while who whom whose why will with within without would yet you your yours yourself
abstract approach approaches achieve achieves achieved address addresses based best better demonstrate
demonstrates demonstrated effective effectively experiment experiments experimental extensive first find
finds found furthermore high higher however important improve improved improves improvement improvements
including introduce introduces introduced key large-scale learn method methods moreover new novel outperform
outperforms paper problem problems propose proposed proposes provide provides recent recently result
results show shows shown significant significantly specifically state state-of-the-art study studies
substantially task tasks various way ways work works`.split(/\s+/),
);
