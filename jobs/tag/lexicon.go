package tag

// Topic ids, in the fixed order of TopicIDs.
const (
	topicRegulation = iota
	topicLegal
	topicETF
	topicSecurity
	topicMining
	topicMacro
	topicMarkets
	topicAdoption
	topicDeFi
	topicStablecoins
	topicFunding
	topicOther
	nTopics
)

// Relevance counters share the weight array with the topics.
const (
	relCrypto = nTopics + iota // about crypto
	relMacro                   // about the economy or monetary policy
	nWeights
)

// Keyword weights. A topic needs a score of 2: one strong word anywhere, a
// weak word in the title (title hits count double), or two weak words in
// the summary. Each feed category that names a topic adds 1, so a category
// alone never decides. Relevance needs 2 as well, without the title bonus.
const (
	weak   = 1
	strong = 2
)

// kwGroup lists keywords that add weight w to index idx (a topic or a
// relevance counter). A keyword may appear in several groups; its effects
// add up. Markers before the words, in this order:
//
//	'?'  counts only when the item has crypto context ("Circle", "Ledger")
//	'@'  only in feed categories ("law")
//	'<'  only right after a coin ("XRP treasury", not "Treasury yields")
//	'>'  only right before an amount ("raises $5M", not "raises its target")
//	'^'  upper-case only ("SEC", not "sec")
//	'~'  capitalized only ("Fed", not "fed up")
//	'='  exactly as written or all upper-case ("MiCA", "MICA")
//
// A keyword with no effect at all is a stop phrase: matched longest-first,
// it keeps its words from matching anything shorter ("data mining").
type kwGroup struct {
	idx   int
	w     int8
	words []string
}

func keywordGroups() []kwGroup {
	return []kwGroup{
		// Stop phrases.
		{topicOther, 0, []string{"data mining", "ripple effect", "ripple effects", "acquisition corp",
			"lending giant"}},

		{topicRegulation, strong, []string{"regulation", "regulations", "regulator", "regulators",
			"regulatory", "deregulation", "^sec", "cftc", "=MiCA", "genius act", "clarity act",
			"market structure bill", "crypto bill", "stablecoin bill", "legislation", "legislative",
			"lawmaker", "lawmakers", "congress", "congressional", "senate", "senator", "senators",
			"bitlicense", "nydfs", "fincen", "^occ", "^fca", "^esma", "watchdog", "watchdogs",
			"rulemaking", "proposed rules", "proposes rules", "new rules", "rule change",
			"innovation exemption", "reverse solicitation", "financial services commission",
			"finance ministry", "ban", "bans", "banned", "crackdown", "cracks down", "kyc",
			"know your customer", "aml", "anti money laundering", "licence", "license", "licenses",
			"licensed", "licensing", "policymakers", "enforcement action", "custody rule",
			"custody rules", "sanctions", "sanctioned", "tax", "taxes", "taxation"}},
		{topicRegulation, weak, []string{"policy", "framework", "compliance", "guidance", "rules",
			"exemption", "security token", "security tokens", "supervision", "supervisory",
			"supervised", "public comment", "white house", "government", "governments", "authority",
			"authorities", "bill", "@regulation", "@policy", "@compliance"}},

		{topicLegal, strong, []string{"lawsuit", "lawsuits", "sue", "sues", "sued", "suing",
			"class action", "court", "courts", "judge", "judges", "indicted", "indictment",
			"sentenced", "sentencing", "prison", "jail", "jailed", "convicted", "conviction",
			"guilty", "plea", "prosecutor", "prosecutors", "prosecution", "^doj",
			"department of justice", "justice department", "charged", "arrest", "arrested",
			"arrests", "fraud", "fraudulent", "subpoena", "subpoenas",
			"money laundering", "laundering", "extradition", "extradited", "seized", "seizure",
			"attorney general", "felony", "judgment", "liable", "criminal", "criminals", "police",
			"litigation", "defendant", "defendants", "plaintiff", "plaintiffs", "supreme court",
			"law enforcement", "cease and desist", "wells notice", "enforcement action", "bankruptcy",
			"chapter 11", "lead plaintiff"}},
		{topicLegal, weak, []string{"charges", "trial", "appeal", "appeals", "settlement", "lawyers", "attorney", "attorneys", "legal", "crime", "@law", "@crime",
			"@crimes", "@enforcement"}},

		{topicETF, strong, []string{"etf", "etfs", "etp", "etps", "exchange traded fund",
			"exchange traded funds", "exchange traded product", "exchange traded products",
			"ibit", "fbtc", "gbtc", "feth", "etha"}},

		{topicSecurity, strong, []string{"hack", "hacks", "hacked", "hacker", "hackers", "hacking",
			"exploit", "exploits", "exploited", "exploiter", "drained", "drain", "drainer",
			"drainers", "stolen", "steal", "steals", "stole", "theft", "thefts", "heist", "breach",
			"breached", "vulnerability", "vulnerabilities", "phishing", "scam", "scams", "scammer",
			"scammers", "scammed", "rug pull", "rug pulls", "rugpull", "malware", "ransomware",
			"security incident", "security breach", "compromised", "private key", "private keys",
			"seed phrase", "seed phrases", "fake app", "fake apps", "fake wallet", "lazarus",
			"ponzi", "pig butchering", "address poisoning", "attacker", "attackers", "flash loan attack"}},
		{topicSecurity, weak, []string{"security", "flaw", "bug", "attack", "attacks", "north korea",
			"north korean", "freeze", "freezes", "frozen", "blacklisted", "@hacks", "@scams",
			"@exploits"}},

		{topicMining, strong, []string{"mining", "miner", "miners", "hashrate", "hash rate",
			"hashprice", "halving", "halvening", "asic", "asics", "bitmain", "mining pool",
			"bitfury", "bitdeer"}},
		{topicMining, weak, []string{"proof of work", "difficulty"}},

		{topicMacro, strong, []string{"~fed", "fomc", "powell", "cpi", "ppi", "pce", "inflation",
			"interest rate", "interest rates", "rate hike", "rate hikes", "rate cut", "rate cuts",
			"rate hold", "rate decision", "payrolls", "nonfarm", "jobs report", "jobs data",
			"job report", "unemployment", "treasury yields", "treasury yield", "bond yields",
			"gdp", "recession", "tariff", "tariffs", "monetary policy", "^boj", "cuts rates", "raises rates", "hikes rates", "holds rates",
			"rates unchanged",
			"bank of japan", "bank of england", "quantitative easing", "quantitative tightening",
			"dollar index", "dxy", "macro", "macroeconomic", "global liquidity", "stagflation",
			"hawkish", "dovish", "labor market"}},
		{topicMacro, weak, []string{"ecb", "central bank", "central banks", "@federal reserve", "rates", "yields", "treasuries", "bond",
			"bonds", "economy", "economic", "liquidity"}},

		{topicMarkets, strong, []string{"price analysis", "technical analysis", "rally", "rallies",
			"rallied", "surge", "surges", "surged", "soar", "soars", "soared", "plunge", "plunges",
			"plunged", "tumble", "tumbles", "tumbled", "slump", "slumps", "slumped", "crash",
			"crashes", "crashed", "all time high", "ath", "record high", "new high", "new highs",
			"highest level", "lowest level", "liquidation", "liquidations", "liquidated",
			"short squeeze", "bull market", "bear market", "breakout", "golden cross", "death cross",
			"volatility", "trading volume", "market cap", "market capitalization", "price target",
			"open interest", "funding rate", "funding rates", "sell off", "selloff", "sell wall",
			"reclaim", "reclaims", "reclaimed", "exchange reserve", "exchange reserves",
			"crypto market", "crypto markets", "buy the dip", "profit taking", "bullish", "bearish",
			"outflows", "inflows", "inflow", "outflow", "price drop", "price prediction", "token unlock",
			"token unlocks"}},
		{topicMarkets, weak, []string{"price", "prices", "jump", "jumps", "jumped", "climb", "climbs",
			"climbed", "gain", "gains", "dip", "dips", "drop", "drops", "dropped", "fall", "falls",
			"fell", "decline", "declines", "declined", "bull", "bulls", "bear", "bears", "support",
			"resistance", "volume", "market value", "whale", "whales", "futures", "derivatives",
			"perps", "perpetuals", "leverage", "traders", "trading", "correction", "rebound",
			"rebounds", "recovery", "stocks", "equities", "s p 500", "nasdaq", "wall street", "gold",
			"higher", "lower", "uptober", "pullback", "pullbacks", "hovers", "slips", "slipped", "slide", "slides",
			"trendline", "price targets", "chart", "charts", "unlock", "unlocks", "streak", "take profits", "taking profits", "target",
			"@markets", "@prices", "@trading", "@price analysis", "@equities"}},

		{topicAdoption, strong, []string{"adoption", "adopts", "adopt", "adopted", "partners with",
			"partner with", "partnership", "partnerships", "accepts bitcoin", "accept bitcoin",
			"accepts crypto", "accept crypto", "legal tender", "<treasury", "<treasuries",
			"<reserve", "strategic reserve", "mass adoption", "treasury company", "treasury firm", "custody bitcoin", "custody crypto",
			"digital asset treasury"}},
		{topicAdoption, weak, []string{"launches", "launch", "launched", "integrates", "integrate",
			"integration", "integrated", "pilot", "goes live", "rolls out",
			"institutional", "institutions", "payments", "payment", "merchants", "atm", "atms",
			"tokenization", "tokenized", "real world assets", "rwa", "listing",
			"credit card", "credit cards", "@adoption", "@payments", "@mass adoption"}},

		{topicDeFi, strong, []string{"defi", "dex", "dexs", "dexes", "tvl", "total value locked",
			"lending", "staking", "liquid staking", "restaking", "yield farming", "amm",
			"liquidity pool", "liquidity pools",
			"uniswap", "aave", "lido", "makerdao", "ethena", "pendle", "decentralized exchange",
			"decentralized exchanges", "decentralized finance", "flash loan"}},
		{topicDeFi, weak, []string{"liquidity provider", "liquidity providers", "borrow", "borrowing", "loans", "stake", "staked", "validators",
			"smart contract", "smart contracts", "swap", "swaps", "cross chain", "bridge", "bridges",
			"oracle", "oracles", "vault", "vaults", "yield", "@dexs", "@bridges", "@protocols"}},

		{topicStablecoins, strong, []string{"stablecoin", "stablecoins", "stable coin", "stable coins",
			"genius act", "rlusd", "usde", "^dai", "pyusd", "usd1", "payment stablecoin",
			"stablecoin issuer", "@stablecoins"}},
		// A stablecoin named in passing is not a stablecoin story.
		{topicStablecoins, weak, []string{"usdt", "usdc", "usd coin", "?~tether", "?~circle"}},

		{topicFunding, strong, []string{">raises", ">raised", ">raise", ">raising", "series a",
			"series b", "series c", "series d", "seed round", "funding round", "pre seed",
			"strategic round", "venture capital", "fundraise", "fundraising", "acquires", "acquire",
			"acquired", ">invests", ">invested", "acquisition", "acquisitions", "merger", "merges", "buyout", "ipo", "spac",
			"token sale", "funding rounds", "@funding rounds", "@venture capital"}},
		{topicFunding, weak, []string{"round", "led by", "valuation", "valued", "funding",
			"crowdfunding", "vc", "vcs", "backs", "go public", "goes public",
			"@startups", "@deals"}},

		// Crypto relevance: words and firms that make an item about crypto.
		{relCrypto, strong, []string{"crypto", "cryptos", "cryptocurrency", "cryptocurrencies",
			"cryptoasset", "cryptoassets", "crypto asset", "crypto assets", "digital asset",
			"digital assets", "blockchain", "blockchains", "stablecoin", "stablecoins", "stable coin",
			"altcoin", "altcoins", "memecoin", "memecoins", "meme coin", "meme coins", "defi", "nft",
			"nfts", "web3", "dapp", "dapps", "^dao", "^daos", "onchain", "on chain", "mainnet",
			"testnet", "tokenization", "tokenized", "tokenize", "staking", "restaking",
			"distributed ledger", "cbdc", "cbdcs", "central bank digital currency", "digital currency",
			"digital currencies", "ico", "icos", "initial coin offering", "initial coin offerings",
			"satoshi", "hodl", "hodlers", "airdrop", "airdrops", "hashrate", "hash rate",
			"proof of stake", "proof of work", "layer 2", "layer 1", "erc", "dex", "dexs", "tvl",
			"decentralized finance", "smart contract", "smart contracts", "cold wallet", "hot wallet",
			"seed phrase", "hyperledger", "ethdenver", "bitcoiner", "bitcoiners", "altseason",
			"crypto winter", "kryptowährung", "kryptowährungen", "krypto", "bitcoin magazine",
			"usdt", "usdc", "rlusd", "usde", "pyusd", "genius act", "clarity act", "bitlicense",
			"=MiCA", "ibit", "fbtc", "gbtc",
			// Exchanges, issuers, miners, analytics, wallets.
			"coinbase", "binance", "~kraken", "bitget", "bybit", "okx", "huobi", "kucoin", "bitfinex",
			"bitstamp", "?~tether", "microstrategy", "saylor", "grayscale", "bitwise", "galaxy digital",
			"~ripple", "ripplex", "chainalysis", "trm labs", "consensys", "metamask", "trezor",
			"bitmain", "bitdeer", "bitfury", "defi technologies", "riot platforms", "marathon digital",
			"cleanspark", "core scientific", "bitmine", "evernorth", "metaplanet", "polymarket",
			"bitgo", "anchorage digital", "paxos", "lido", "uniswap", "makerdao", "opensea",
			"bittrex", "poloniex", "bitflyer", "coincheck", "bithumb", "upbit", "cryptopia",
			"bitgrail", "cobinhood", "pantera capital", "fidelity digital assets", "bitcoin depot",
			"coinsource", "b2c2", "wintermute", "glassnode", "cryptoquant", "santiment",
			"coinmarketcap", "coingecko", "worldcoin", "world liberty financial", "ftx",
			"alameda research", "three arrows capital", "mt gox", "solidx", "sazmining", "fundstrat",
			"gemini exchange", "crypto exchange",
			// People.
			"vitalik", "buterin", "nakamoto", "szabo", "zamfir", "winklevoss", "novogratz",
			"changpeng zhao", "bankman fried", "justin sun", "do kwon", "michael saylor",
			"brian armstrong", "paolo ardoino", "jeremy allaire", "garlinghouse",
			// Coins outside the tracked list.
			"^iota", "^eos", "^nem", "xem", "zilliqa", "mimblewimble", "tezos", "algorand", "filecoin",
			"kaspa", "bonk", "wbtc", "wanchain", "basic attention token", "bittorrent token",
			"dogeos", "zksync", "starknet", "bitcoin sv", "@altcoin", "@coins"}},
		{relCrypto, weak, []string{"token", "tokens", "coin", "coins", "wallet", "wallets",
			"exchanges", "miners", "mining", "halving", "blackrock", "fidelity", "robinhood", "cboe",
			"vaneck", "ark invest", "etoro", "revolut", "kalshi", "cftc", "gensler", "paul atkins",
			"tom lee", "virtual currency", "virtual currencies", "rollup", "rollups", "l2",
			"zero knowledge", "self custody", "asic", "asics", "?~circle", "?~ledger", "?~gemini", "?^cz",
			"?~celsius", "?~genesis", "prediction market", "prediction markets", "^iota", "~iota",
			"swaps"}},

		// Macro relevance: what makes a non-crypto item worth keeping.
		{relMacro, strong, []string{"~fed", "fomc", "cpi", "ppi", "pce", "inflation",
			"interest rate", "interest rates", "rate hike", "rate hikes", "rate cut", "rate cuts",
			"rate hold", "rate decision", "payrolls", "nonfarm", "jobs report", "jobs data",
			"job report", "unemployment", "treasury yields", "treasury yield", "bond yields",
			"gdp", "recession", "monetary policy", "quantitative easing", "quantitative tightening",
			"stagflation", "hawkish", "dovish"}},
		{relMacro, weak, []string{"tariff", "tariffs", "macro", "central bank", "ecb"}},
	}
}
