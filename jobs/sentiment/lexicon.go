package sentiment

// The market lexicon and rule word lists. They were written from market
// knowledge, not fitted to any data set: the trained model only learns how
// much to trust the lexicon as a whole and each category of it (the lexpos,
// lexneg and per-category weights), never which words are in it. Variants
// of a phrase are separated by "|"; every variant goes through the tokenizer
// and stemmer, so "hacks" and "hacked" also match "hack". Weights are on a
// rough −3..+3 scale. When two entries hold the same stemmed phrase, the
// first one wins.

type lexEntry struct {
	phrases string
	weight  float64
}

// lexCat groups lexicon entries by the kind of news they describe. Besides
// the overall evidence, each category's evidence is a dense feature of its
// own, so the model learns how far to trust, say, a regulatory word against
// a mood word from the data, while which words belong where stays written
// by hand.
type lexCat int

const (
	catRegulation lexCat = iota
	catIncident
	catMarket
	catBusiness
	catMood
	nCat
)

type lexSection struct {
	cat     lexCat
	entries []lexEntry
}

func lexicon() []lexSection {
	return []lexSection{
		// Regulation, courts and enforcement: the biggest movers in crypto.
		{catRegulation, []lexEntry{
			{"etf approval|etf approved|approves etf|approve etf|etfs approved|etf greenlit|etf green light", 2.5},
			{"approval|approved|approves|approve|greenlight|green light|greenlit", 1.2},
			{"license|licence|licensed|granted license|grants license|wins license|registration approved", 1.2},
			{"legal tender", 2},
			{"strategic reserve|crypto reserve", 2},
			{"not a security|not securities|not security", 2},
			{"regulatory clarity|clarity", 0.8},
			{"wins|win|won|victory|prevails", 1.5},
			{"acquit|acquits|acquitted|acquittal|exonerated|exonerates", 1.8},
			{"dismiss|dismissed|dismisses|drops case|drops lawsuit|drops investigation|drop case|throws out|tossed", 1.5},
			{"lifts ban|lift ban|lifted ban|ban lifted|lifts restrictions|overturned|overturns", 1.8},
			{"settle|settles|settlement|settled", 0.3},
			{"sec sues|sec sued|sec suing|sec charges|sec charged|sec lawsuit|sec enforcement|sec action", -2.5},
			{"sue|sues|sued|suing|lawsuit|lawsuits|class action|litigation", -1.5},
			{"charge|charges|charged|indicted|indictment|indicts|arrest|arrested|arrests|convicted|guilty|sentenced|extradited", -1.5},
			{"fraud|fraudulent|scam|scams|scammer|scammers|ponzi|pyramid scheme|rug pull|rugpull|rug pulled|exit scam|pump and dump", -2.5},
			{"ban|bans|banned|banning|outlaw|outlaws|outlawed|prohibit|prohibits|prohibited|crackdown|cracks down|crack down", -2},
			{"reject|rejects|rejected|rejection|denial|disapproves|disapproved", -1.8},
			{"delay|delays|delayed|postpone|postpones|postponed|pushed back", -0.8},
			{"probe|probes|investigation|investigating|investigates|subpoena|subpoenas|subpoenaed|raid|raided|scrutiny", -1.3},
			{"fine|fined|fines|penalty|penalties|sanction|sanctions|sanctioned", -1.4},
			{"warn|warns|warned|warning|warnings|caution|cautions|alarm", -1.1},
			{"illegal|unlicensed|unregistered|money laundering|laundering|laundered|violation|violations|violated", -1.6},
			{"seize|seized|seizes|seizure|freeze|frozen|freezes", -1.2},
			{"crackdown on crypto|restrict|restricts|restricted|restrictions|curb|curbs|thwart|thwarts|stifle|stifles|stifling", -1.4},
			{"under fire|fight with|battle with|clash with|clashes with|at odds with|feud", -1},
			{"pass|passes|passed|clears|cleared", 1},
			{"withdraws application|withdraws filing|withdraws etf|pulls application|withdraws bid|wells notice|cease and desist|cease-and-desist|enforcement action|charged with|faces charges|pleads guilty|plead guilty", -2},
			{"defraud|defrauded|defrauding|embezzle|embezzled|embezzlement|misappropriated|misappropriation|commingled|commingling|misused customer funds|insider trading|wash trading|market manipulation|manipulation|manipulated", -2.2},
			{"accuse|accuses|accused|allege|alleges|alleged|allegedly|allegation|allegations|misleading|misled|wrongdoing|misconduct", -1.3},
			{"detain|detains|detained|jail|jailed|prison|custodial sentence", -1.5},
			{"legalize|legalizes|legalized|legalise|legalises|legalised|legalizing|legalization", 1.8},
			{"gets nod|wins nod|gets approval|wins approval|receives approval|secures approval|given the go-ahead", 1.5},
			{"recognize|recognizes|recognized|recognition", 0.8},
			// entries below were added after reading where the model went wrong on
			// our own labels of the 2020 dated headlines (see MODEL.md)
			{"unauthorized|unauthorised|not authorized|not authorised|not permitted|operating illegally|illegally|blacklisted", -1.6},
			{"evade|evades|evading|evasion|cartel|smuggler|smugglers|smuggling|criminals|criminal", -1.3},
		}},
		// Security incidents, outages and failures, and their repair.
		{catIncident, []lexEntry{
			{"hack|hacks|hacked|hacker|hackers|hacking|heist|exploit|exploits|exploited|exploiter|breach|breached|attack|attacked|drained|drain|stolen|steal|steals|theft|stole", -2.3},
			{"vulnerability|vulnerabilities|bug|bugs|flaw|flaws|malware|phishing|ransomware", -1.2},
			{"outage|outages|downtime|went down|goes down|halt|halts|halted|halting|stalls|stalled|congestion", -1.5},
			{"halts withdrawals|halt withdrawals|pauses withdrawals|suspends withdrawals|freezes withdrawals|withdrawals halted|withdrawals paused|suspend withdrawals|suspends trading", -2.8},
			{"resumes withdrawals|resume withdrawals|withdrawals resume|restores withdrawals|reopens withdrawals", 1.8},
			{"pause|pauses|paused|suspend|suspends|suspended|suspension", -1.2},
			{"shut down|shuts down|shutting down|shutdown|wind down|winds down|winding down|closes|closure|sunset|sunsets|discontinue|discontinues", -1.6},
			{"bankruptcy|bankrupt|chapter 11|insolvent|insolvency|into liquidation|liquidator|liquidators|collapse|collapses|collapsed|default|defaults|defaulted", -2.6},
			{"depeg|depegs|depegged|loses peg|lost peg|lose peg|breaks peg|off peg", -2.5},
			{"regains peg|restores peg|repeg|back to peg", 1.5},
			{"attacker|attackers|drainer|drainers|compromise|compromised|rekt|rugged|bad debt|death spiral|meltdown|implode|implodes|imploded|implosion", -2},
			{"mistake|mistakenly|toxic|apologizes|apologises|apologized|apologised|scramble|scrambles|scrambling", -1},
			{"frozen funds|funds frozen|funds stuck|stuck funds|cannot withdraw|can't withdraw|unable to withdraw", -2.2},
			{"refund|refunds|reimburse|reimburses|reimbursed|compensation|compensate|compensates|returns funds|returned funds|returns stolen|hacker returns|hacker returned|hackers return|exploiter returns|exploiter returned|attacker returns|attacker returned|recovered funds|funds recovered|made whole", 1.3},
		}},
		// Prices, moves, levels, flows and positioning.
		{catMarket, []lexEntry{
			{"outflow|outflows|net outflows|redemptions|withdrawal spike|bank run", -1.6},
			{"inflow|inflows|net inflows", 1.6},
			// coins sent to exchanges are usually about to be sold
			{"exchange inflows|exchange inflow|inflows to exchanges|exchange deposits|sent to exchanges|sends to exchanges|moved to exchanges|moves to exchanges", -1.2},
			// coins leaving exchanges go to cold storage: the opposite of fund outflows
			{"exchange outflows|outflows from exchanges|exchange outflow|exchange balances fall|exchange reserves fall|exchange reserve drops", 1.2},
			{"liquidations|liquidated|liquidation cascade|margin call|margin calls|long liquidations|longs liquidated|longs wiped out", -1.5},
			{"short squeeze|shorts squeezed|shorts liquidated|short liquidations|bears liquidated|shorts wiped out|shorts rekt", 1.8},
			{"token unlock|token unlocks|unlock|unlocks|supply overhang|dilution|dilutive", -0.9},
			{"sell-off|selloff|sell off|selling pressure|sell pressure|dump|dumps|dumped|dumping|capitulation|capitulate|capitulates|panic|panic selling|fire sale", -1.8},
			{"bear market|bearish|bears|crypto winter|downtrend|death cross|bear trend|bear cycle", -1.5},
			{"bull market|bullish|bulls|uptrend|golden cross|bull run|bull rally|uptober", 1.5},
			{"crash|crashes|crashed|crashing|plunge|plunges|plunged|plunging|plummet|plummets|plummeted|tumble|tumbles|tumbled|nosedive|nosedives|collapse in|tank|tanks|tanked|crater|craters|cratered|freefall|bloodbath|wipe out|wipes out", -2.3},
			{"fall|falls|fell|fallen|falling|drop|drops|dropped|dropping|decline|declines|declined|declining|slide|slides|slid|sliding|sink|sinks|sank|sinking|slump|slumps|slumped|dip|dips|dipped|slip|slips|slipped|retreat|retreats|retreated|sheds|shed|lose|loses|lost|down|lower|lows|weakens|weaker|weak|weakness|slowdown|slows|drag|drags|weighs on|weigh on|pressure|pressured|bleed|bleeds|bleeding|erase|erases|erased|pare|pares|pared", -1.3},
			{"rise|rises|rose|risen|rising|gain|gains|gained|gaining|climb|climbs|climbed|climbing|jump|jumps|jumped|jumping|rally|rallies|rallied|rallying|advance|advances|advanced|higher|rebound|rebounds|rebounded|recover|recovers|recovered|recovery|bounce|bounces|bounced|reclaim|reclaims|reclaimed|rebounding|strengthens|stronger|strong|strength|boost|boosts|boosted|lift|lifts|lifted|extends gains|adds|added|pop|pops|popped|pumps|pump|outperform|outperforms|outperformed", 1.3},
			{"surge|surges|surged|surging|soar|soars|soared|soaring|skyrocket|skyrockets|skyrocketed|spike|spikes|spiked|moon|moons|mooning|explode|explodes|exploded|rockets|rocketed|parabolic|breakout|breaks out|skyrocketing|doubles|doubled|triples|tripled", 2},
			{"all time high|all-time high|all-time highs|all time highs|ath|record high|record highs|new high|new highs|fresh high|highest level|highest since|year high|yearly high|multi-year high|two-year high|52-week high", 2.3},
			{"all time low|all-time low|record low|new low|new lows|fresh low|lowest level|lowest since|year low|multi-year low|two-year low|52-week low|month low|multi-month low", -2.2},
			{"record|records|milestone|milestones|breakthrough|historic|best month|best day|best week|best quarter", 1.2},
			{"worst month|worst day|worst week|worst quarter|worst since", -1.8},
			{"short-lived|short lived|thin ice|worst trading day|worst-performing|worst performing|worst performer", -1.6},
			{"breaks downtrend|broke downtrend|breaks out of downtrend|ends downtrend|downtrend ends|erasing crash|erases crash|erased crash|erases losses|erased losses|erasing losses|bears beware", 1.6},
			{"hedge against", 1},
			// a fiat currency losing value sends savers to crypto
			{"peso weakens|peso falls|peso plunges|peso tumbles|lira weakens|lira falls|lira plunges|lira tumbles|lira crashes|rupee falls|rupee weakens|naira falls|dollar weakens|weaker dollar|weak dollar|currency crisis|hyperinflation|money printer|money printing", 1.5},
			{"support holds|holds support|bounces off support", 0.8},
			{"breaks below|broke below|falls below|drops below|slips below|below support|loses support|lost support|breaks support|breaking support", -1.6},
			{"breaks above|broke above|above resistance|clears resistance|breaks resistance|breaks through", 1.5},
			{"rejected at|fails to hold|failed to hold|rally fizzles|fizzles|stalls below|struggles|struggle|struggling", -1.3},
			{"volatility|volatile", -0.3},
			{"rout|routs|carnage|downturn|correction|corrections|pullback|pullbacks|retrace|retraces|retraced|profit-taking|profit taking|risk-off|risk off", -1.2},
			{"fade|fades|faded|fading|wane|wanes|waned|waning|dries up|dry up|dried up|cools off|loses steam|runs out of steam", -1},
			{"discount widens|discount widened|premium turns negative|negative premium|negative funding", -1.2},
			{"inject|injects|injected|pour into|pours into|poured into|pile into|piles into|piled into", 1},
			{"offload|offloads|offloading|unload|unloads|unloading|cash out|cashes out|cashing out|take profit|takes profit|taking profits", -1.2},
			{"comes to an end|come to an end|came to an end|streak ends|rally ends|rally is over|invalidates|invalidated|gives up|give up|gave up", -1.2},
			{"buy the dip|buys the dip|bought the dip|risk-on|risk on|risk appetite|safe haven|oversold bounce", 1},
			{"overtake|overtakes|overtook|flippening", 0.8},
			{"hovers|flat|steady|sideways|unchanged|consolidates|consolidation|range-bound|rangebound|little changed|quiet|holds steady|stable", -0.1},
		}},
		// Business and adoption: the everyday bullish news, and its reverse.
		{catBusiness, []lexEntry{
			{"layoff|layoffs|lays off|laid off|job cuts|cuts jobs|cut jobs|slashes jobs|cuts staff|cuts workforce|staff cuts|job losses|cuts headcount|reduces headcount|downsize|downsizes|downsizing|redundancies", -1.8},
			{"restructure|restructures|restructuring|down round|valuation cut|pulls out|pull out|exits market|exit market|exits us|withdraws from|leaves market|ends partnership|cuts ties|abandons|abandoned|ends deal|terminates|terminated|termination", -1.3},
			{"testnet|testnets|devnet|public testnet|activate|activates|activated|activation|allows|allowing|enables|enabling|lets users|opens door|opens the door|paves way|paves the way|clears path|clears the way", 0.8},
			{"pilot|pilots|piloting|trial run|mainstream|joins consortium|joins alliance|joins network|tokenize|tokenizes|tokenized|tokenization", 0.8},
			{"loss|losses|net loss|write down|writedown|write-off|impairment", -1.3},
			{"delist|delists|delisted|delisting|delistings|removes support|drops support|ends support|no longer supports|no longer support|stops supporting|discontinues support", -2.2},
			{"adoption|adopt|adopts|adopted|mass adoption", 1.6},
			{"partnership|partnerships|partner|partners|partnered|teams up|team up|collaboration|collaborate|collaborates|alliance|joins forces|integration|integrate|integrates|integrated", 1.5},
			{"upgrade|upgrades|upgraded|hard fork|mainnet|mainnet launch|goes live|go live|went live|now live|is live|launch|launches|launched|launching|debut|debuts|debuted|rollout|rolls out|rolled out|unveil|unveils|unveiled|introduces", 1.2},
			{"release|releases|released|update|updates", 0.3},
			{"listing|listings|list|lists|listed|to list|will list|adds support|added support|add support|adds trading|now available|available on", 1.6},
			{"accept|accepts|accepted|accepting|payments|pay with", 0.8},
			{"invest|invests|invested|investment|investments|buy|buys|bought|buying|purchase|purchases|purchased|acquire|acquires|acquired|acquisition|accumulate|accumulates|accumulation|accumulating|stake in|holdings|adds to holdings|backs|backed|backing", 1.2},
			// not "funding" alone: it stems to "fund", as do investment funds
			{"raise|raises|raised|raising|funding round|new funding|fresh funding|secures funding|series a|series b|series c|seed round|valuation|investors back|led by", 1.2},
			{"expand|expands|expanded|expansion|expanding|growth|grow|grows|growing|grew|boom|booming|demand|demands|momentum|traction|soaring demand|user growth|surge in", 1.3},
			{"cuts fees|cut fees|slashes fees|lowers fees|lower fees|reduces fees|fee cut|fee cuts|cheaper|cuts costs|cut costs|lowers costs|reduces costs|losses narrow|narrows loss|narrower loss", 1},
			{"profit|profits|profitable|profitability|beat|beats|beating|tops estimates|revenue up|earnings beat|record revenue|record profit|dividend|buyback|buybacks|repurchase", 1.5},
			{"miss|misses|missed|shortfall|revenue falls|earnings miss|guidance cut|cuts guidance|lowers guidance|profit warning", -1.6},
			{"upgrade to buy|upgraded to buy|raises target|raises price target|lifts target|raises forecast|price target raised|outperform rating|buy rating|overweight", 1.8},
			{"downgrade|downgrades|downgraded|cuts target|cut target|cuts price target|lowers target|lowers price target|underweight|underperform|sell rating|cuts to sell|cut to sell|slashes", -1.8},
			{"burn|burns|burned|burnt|token burn|buy back", 1.0},
			{"airdrop|airdrops|rewards|reward|staking rewards|yield", 0.6},
		}},
		// Opinion, mood and macro.
		{catMood, []lexEntry{
			{"fear|fears|feared|worry|worries|worried|concern|concerns|concerned|risk|risks|risky|threat|threatens|uncertainty|jitters|turmoil|chaos|contagion|crisis", -1.1},
			{"extreme fear", -1.5},
			{"optimism|optimistic|confidence|confident|hopes|hope|upbeat|positive|good news|welcome|welcomes|praise|praises|endorse|endorses|support for|supports|bullish on", 1.2},
			{"raises questions|raise questions|raises concerns|raise concerns|raises doubts|raises eyebrows|red flag|red flags", -1.2},
			{"pessimism|pessimistic|negative|bad news|criticism|criticize|criticizes|criticized|slams|blasts|skeptical|skeptic|doubt|doubts|bubble|worthless|heading to zero|to zero", -1.3},
			{"success|successful|successfully|smooth|seamless|secure|secured|safe|safu|solvent|fully backed|audit passed|passes audit|compliant|compliance approval", 0.8},
			{"fail|fails|failed|failing|failure|failures", -1.2},
			{"fails to|fail to|failed to|failing to|unable to|refuses to|refused to", -1},
			{"no longer|not yet", -0.6},
			{"fud|rescind|rescinds|rescinded|setback|setbacks|blow to|deals blow|hurdle|hurdles|obstacle|obstacles|headwind|headwinds|constraint|constraints|storm|stormy", -1.3},
			{"problem|problems|trouble|troubles|woes|glitch|glitches|error|errors|disrupt|disrupted|disruption", -1},
			{"exodus|flee|flees|fleeing|quit|quits|resign|resigns|resigned|steps down|step down|ousted|departure|leaves", -0.8},
			{"inflation|hot inflation|rate hike|rate hikes|hawkish|tightening|recession", -1},
			{"rate cut|rate cuts|dovish|easing|stimulus|cools|cooling inflation|softer", 1},
			{"lack of adoption|lack of demand|lack of interest|lack of liquidity|lacks demand", -1.5},
		}},
	}
}

// assetNames are coins, tokens and the firms most often in crypto news.
// Every one of them is read as the same word, "<asset>": a name carries no
// sentiment of its own, what happens to it does. Without this the model
// learns, from which coins happened to rise in its training headlines, that
// "bitcoin" is bullish and "ether" is not. Names that are also English
// words ("link", "near", "ton", "dot", "sol") are left out.
func assetNames() string {
	return "bitcoin|bitcoins|btc|ether|eth|ethereum|solana|xrp|ripple|cardano|ada|dogecoin|doge|shiba|shib|bnb|" +
		"litecoin|ltc|polkadot|avalanche|avax|chainlink|polygon|matic|tron|trx|toncoin|sui|aptos|arbitrum|" +
		"cosmos|monero|xmr|zcash|zec|stellar|xlm|tether|usdt|usdc|dai|uniswap|aave|lido|pepe|bonk|filecoin|" +
		"hedera|hbar|algorand|tezos|eos|iota|vechain|kaspa|injective|celestia|hyperliquid|" +
		"binance|coinbase|kraken|okx|bybit|bitfinex|bitstamp|huobi|kucoin|upbit|bithumb|ftx|gemini|" +
		"blackrock|fidelity|grayscale|microstrategy|tesla|robinhood|paypal"
}

// nameWords are lexicon words that are also the names of crypto projects,
// exchanges or firms: Optimism (a layer 2 and its token), Blast (a layer 2),
// Bullish (an exchange), Safe (a wallet), Rocket Pool, Pump.fun, Gains
// Network, Jump Crypto. Written as a name (see doc.isName) such a word is
// neither lexicon evidence nor an explanation: "Optimism" in "Coinbase adds
// Optimism" says nothing about the market's mood.
func nameWords() string {
	return "optimism|bullish|blast|safe|rocket|pump|gains|jump"
}

// Framing marks a title that discusses rather than reports: an explainer
// ("What the crash means for lenders", "How the rally unfolded"), an opinion
// piece or a price analysis. Its words count as much as a question's
// (questionDamp), and the framing is a feature of its own. start phrases
// frame a title only as its first words; anywhere phrases wherever they are.
func framing() (start, anywhere string) {
	start = "what|how|why|when|where|who|which|here's|explainer|explained|opinion|op-ed|analysis|podcast|interview|guide|review|recap|roundup|preview|q&a|ask an expert|a guide|a beginner's guide|inside|timeline|lessons"
	anywhere = "price analysis|technical analysis|price prediction|price predictions|price outlook|price forecast|market wrap|market update|week ahead|weekly recap|what to expect|things to watch|levels to watch"
	return start, anywhere
}

// Negators flip and damp the lexicon weight of the next few words and mark
// them as negated for the linear model. The factor is what a word's lexicon
// weight is multiplied by inside the scope: "not approved" is bearish,
// "denies hack" only mildly bullish (denials are weak evidence).
type negator struct {
	phrases string
	factor  float64
}

func negators() []negator {
	return []negator{
		{"not|no|never|cannot|can't|won't|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|couldn't|wouldn't|shouldn't|nor|neither|none|nothing|without", -0.7},
		{"no longer|not yet", -0.8},
		{"fails to|fail to|failed to|failing to|unable to|refuses to|refused to|declines to|declined to|declining to", -0.8},
		{"denies|deny|denied|denying|dismisses claims|rejects claims|refutes|debunks", -0.3},
		{"unlikely", -0.6},
		{"stop short of|stops short of|stopped short of", -0.7},
		// a verdict clears what follows: "acquitted of fraud charges"
		{"acquitted of|cleared of|exonerated of|not guilty of", -0.7},
	}
}

// negationScope is how many words after a negator it reaches (stopping at a
// clause boundary).
const negationScope = 3

// Hedges damp the evidence in the rest of their clause: a possibility is
// weaker news than a fact.
func hedges() []lexEntry {
	return []lexEntry{
		{"could|may|might|possibly|potentially|perhaps|if|would|reportedly|rumor|rumors|rumored|rumour|rumoured|speculation|speculate|considering|considers|mulls|mulling|weighs|eyes|predict|predicts|prediction|forecast|forecasts|expected to|likely", 0.6},
	}
}

// Contrast words discount what follows them in the clause: in "bitcoin rises
// despite hack" the hack is not the news.
func contrasts() []lexEntry {
	return []lexEntry{
		{"despite|even as|notwithstanding|in spite of|shrugs off|shrug off|regardless of", 0.3},
	}
}

// costWords are things whose fall is good news. Right before or after a
// direction word they flip the percentage it carries: "cuts fees by 90%"
// and "losses fall 20%" are not bearish, "fees spike 300%" is not bullish.
// (Lexicon phrases such as "cuts fees" cover such moves without a number.)
func costWords() string {
	return "fee|fees|cost|costs|expense|expenses|loss|losses|debt|spread|spreads"
}

// Direction words give a percentage its sign: "falls 8%", "jumps 12%",
// "down 3%", "8% lower".
func directionWords() (up, down string) {
	up = "up|rise|rises|rose|rising|gain|gains|gained|jump|jumps|jumped|surge|surges|surged|soar|soars|soared|climb|climbs|climbed|rally|rallies|rallied|spike|spikes|spiked|add|adds|added|rebound|rebounds|rebounded|increase|increases|increased|higher|advance|advances|advanced|pop|pops|popped|skyrocket|skyrockets|skyrocketed|boost|boosts|boosted|raise|raises|raised|lift|lifts|lifted|grow|grows|grew|above|gainer|gainers|upside|green|extends|bounce|bounces|recovers|recover|outperforms|premium"
	down = "down|fall|falls|fell|drop|drops|dropped|slide|slides|slid|plunge|plunges|plunged|tumble|tumbles|tumbled|sink|sinks|sank|slump|slumps|slumped|dip|dips|dipped|lose|loses|lost|loss|shed|sheds|decline|declines|declined|lower|crash|crashes|crashed|dive|dives|dived|cut|cuts|decrease|decreases|decreased|slip|slips|slipped|retreat|retreats|retreated|plummet|plummets|plummeted|crater|craters|tank|tanks|tanked|below|off|loser|losers|downside|red|correction|discount|erases|wipes|drawdown|underperforms"
	return up, down
}
