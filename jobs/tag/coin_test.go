package tag

import (
	"slices"
	"strings"
	"testing"
)

// TestTagCoins is the coin-matching table: names, tickers, '$' and pair
// forms, possessives and plurals, all-caps headlines, several coins at
// once, and the false-positive traps of common-word tickers.
func TestTagCoins(t *testing.T) {
	tests := []struct {
		name           string
		title, summary string
		want           []string
	}{
		// Names, tickers and their spellings.
		{"name lower case in a sentence", "Why the price of bitcoin matters", "", []string{"BTC"}},
		{"possessive with straight apostrophe", "Bitcoin's hashrate climbs", "", []string{"BTC"}},
		{"possessive with curly apostrophe", "Bitcoin’s hashrate climbs", "", []string{"BTC"}},
		{"plural name", "Dealership sells a motorcycle for bitcoins", "", []string{"BTC"}},
		{"dollar ticker", "Traders pile into $BTC before the weekend", "", []string{"BTC"}},
		{"slash pair", "BTC/USD holds above support", "", []string{"BTC"}},
		{"dash pair", "BTC-USD volatility falls to a yearly low", "", []string{"BTC"}},
		{"run-together pair", "SOLUSDT perpetual funding flips negative", "", []string{"SOL"}},
		{"all-caps headline with a name", "BITCOIN HITS NEW HIGH", "", []string{"BTC"}},
		{"all-caps headline with an unambiguous ticker", "BREAKING: ETH ETF FLOWS TURN POSITIVE", "", []string{"ETH"}},
		{"name only in the summary", "A quiet week for crypto", "Ethereum developers met on Thursday.", []string{"ETH"}},
		{"HTML left in the summary", "Weekly wrap", "<p>The <b>Ethereum</b> roadmap</p>", []string{"ETH"}},
		{"several coins in one headline", "Bitcoin, Ether, XRP Force a Short Squeeze", "", []string{"BTC", "ETH", "XRP"}},
		{"name and ticker of one coin", "Cardano (ADA) completes a golden cross", "", []string{"ADA"}},
		{"names and tickers of several coins", "Stellar (XLM), Near Protocol (NEAR), XRP rallies fade", "", []string{"NEAR", "XLM", "XRP"}},
		{"two-word name", "Shiba Inu (SHIB) whales move 10 billion tokens", "", []string{"SHIB"}},
		{"USD Coin by name", "USD Coin supply grows for a fifth week", "", []string{"USDC"}},
		{"Tether is the coin's name", "Tether mints another billion as stablecoin demand grows", "", []string{"USDT"}},
		{"Tether the brand", "Tether Tools ships a wireless tethering kit", "", nil},
		{"Tether the surname", "Dr. Tony Tether joins an engineering firm", "", nil},
		{"tether the verb", "How to tether your laptop to your phone", "", nil},
		{"Circle is a company, not USDC", "Circle files for a bank charter as stablecoin rules near", "", nil},
		{"Hedera by name", "Hedera council adds a new member", "", []string{"HBAR"}},
		{"Litecoin by name", "Altcoin Litecoin reaches an all-time high", "", []string{"LTC"}},
		{"Zcash by name", "Zcash gets an upgrade alert", "", []string{"ZEC"}},
		{"Monero and its ticker", "Monero (XMR) releases a new stressnet", "", []string{"XMR"}},
		{"Hyperliquid by name", "Hyperliquid to unlock $856 million worth of tokens", "", []string{"HYPE"}},
		{"wrapped bitcoin is about bitcoin", "Wrapped Bitcoin (WBTC) launches on Ethereum", "", []string{"BTC", "ETH"}},
		{"BNB Chain", "BNB Chain ships a hard fork", "", []string{"BNB"}},
		{"Binance alone is the exchange, not BNB", "Binance adds credit-card purchases", "", nil},
		{"XRPL is the XRP Ledger", "RippleX puts an XRPL lending upgrade to a vote", "", []string{"XRP"}},
		{"ampersand between words is a break", "Why to Buy Bitcoin & Gold", "", []string{"BTC"}},
		{"XLM beside the verb linked", "XLM Linked To Stellar Foundation Moves to Exchanges", "", []string{"XLM"}},

		// Names that contain other names, and look-alikes.
		{"Bitcoin Cash is not bitcoin", "Bitcoin Cash miners move coins", "", []string{"BCH"}},
		{"Bitcoin SV is neither", "Bitcoin SV developers propose a fork", "", nil},
		{"Bitcoin Magazine is a publication", "Impacts of daily dividends on digital credit", "This post first appeared on Bitcoin Magazine.", nil},
		{"Ethereum Classic is not ether", "Ethereum Classic Cooperative names a director", "", []string{"ETC"}},
		{"ETH Zurich is a university", "ETH Zurich researchers build a faster chip", "", nil},
		{"Ethiopia and ethanol are not ETH", "Ethiopia expands ethanol production", "", nil},
		{"8-K of an ethanol company in capitals", "8-K - HIGHWATER ETHANOL LLC (0001371451) (Filer)", "", nil},
		{"capitalized Ether is the coin", "Ether steady ahead of options expiry", "", []string{"ETH"}},
		{"lower-case ether needs context", "Lab tests new ether anesthetic", "", nil},
		{"ether with crypto context", "Hackers steal $180K in ether from an exchange", "Crypto exchange Cryptopia was hit again.", []string{"ETH"}},
		{"ether without crypto context", "Surgeons once used ether as an anaesthetic", "", nil},
		{"Ripple the company is not XRP", "Ripple hires a general counsel", "", nil},

		// SOL.
		{"SOL upper case", "SOL leads large caps higher", "", []string{"SOL"}},
		{"solution and Sol are not SOL", "Sol Campbell backs a new payments solution", "", nil},
		{"SOL in an all-caps headline is ambiguous", "SOL SURGES AS TRADERS RETURN", "", nil},
		{"$SOL in an all-caps headline", "$SOL SURGES AS TRADERS RETURN", "", []string{"SOL"}},
		{"SOL pair in an all-caps headline", "SOL/USDT BREAKS OUT OF A WEDGE", "", []string{"SOL"}},

		// LINK.
		{"link and linked are words", "Apple patches an iPhone flaw linked to attacks", "Follow the link for details.", nil},
		{"LINK upper case with crypto context", "LINK jumps 8% as altcoins recover", "", []string{"LINK"}},
		{"LINK upper case without crypto context", "LINK conference opens in Berlin", "", nil},
		{"$LINK", "$LINK breaks resistance", "", []string{"LINK"}},
		{"Chainlink by name, odd capitals", "ChainLink (LINK) drops 58% in volume", "", []string{"LINK"}},

		// ONE (Harmony) is not tracked.
		{"one, ONE and $ONE tag nothing", "One token to watch: ONE", "Traders bought $ONE on one exchange.", nil},

		// OP.
		{"op-ed is not OP", "An op-ed on crypto regulation", "", nil},
		{"OP alone is ambiguous even with context", "Crypto traders weigh OP and other L2 bets", "", nil},
		{"OP token", "OP token unlock looms for crypto traders", "", []string{"OP"}},
		{"$OP", "$OP rallies after the upgrade", "", []string{"OP"}},
		{"Optimism with its ticker", "Optimism (OP) ships a fault-proof upgrade", "", []string{"OP"}},
		{"optimism the mood", "Crypto Investors Show Optimism About Bitcoin", "", []string{"BTC"}},

		// NEAR.
		{"near the preposition", "Bitcoin trades near $100K as crypto cools", "", []string{"BTC"}},
		{"Near title-cased in a title-case headline", "Novogratz Says Bitcoin May End 2026 Near $100K", "", []string{"BTC"}},
		{"NEAR Protocol", "NEAR Protocol ships sharding phase two", "", []string{"NEAR"}},
		{"Near Intents", "Near Intents hacked for $3.8M", "", []string{"NEAR"}},
		{"NEAR upper case with crypto context", "NEAR rallies 10% as the crypto market recovers", "", []string{"NEAR"}},
		{"NEAR upper case without context", "NEAR field trial starts in Seoul", "", nil},
		{"NEAR pair", "NEAR/USDT tests its 200-day average", "", []string{"NEAR"}},

		// DOT, TON, SUI, UNI.
		{"dot-com is not DOT", "Crypto is not the dot-com bubble", "", nil},
		{"DOT upper case with crypto context", "DOT slides as parachain auctions end on the blockchain", "", []string{"DOT"}},
		{"DOT the transport department", "DOT fines a trucking firm that paid drivers in crypto", "The Department of Transportation said.", nil},
		{"Polkadot by name", "Polkadot governance approves a treasury spend", "", []string{"DOT"}},
		{"tons and a ton are not TON", "Miners burn a ton of power, tons of coal", "", nil},
		{"TON upper case with crypto context", "Telegram wallet adds TON staking for crypto users", "", []string{"TON"}},
		{"TON in an all-caps headline", "TELEGRAM ADDS TON TO ITS CRYPTO WALLET", "", nil},
		{"Toncoin by name", "Toncoin rallies on Telegram news", "", []string{"TON"}},
		{"sui generis is not SUI", "A sui generis crypto regime for Europe", "", nil},
		{"Sui with crypto context", "Sui blockchain halts for two hours", "", []string{"SUI"}},
		{"uni is not UNI", "Crypto clubs spread at uni campuses", "", nil},
		{"UNI upper case with crypto context", "UNI token holders vote on a fee switch for DeFi", "", []string{"UNI"}},
		{"UNI beside university", "UNI students build a blockchain lab", "The university said the crypto lab opens in May.", nil},
		{"Uniswap by name", "Uniswap volume tops $3 billion", "", []string{"UNI"}},

		// ATOM, APT, ARB, POL: the small, ambiguous tail needs a coin word.
		{"atom in physics", "Physicists split an atom with a laser", "", nil},
		{"ATOM alone even in crypto context", "ATOM and other altcoins slip", "", nil},
		{"ATOM price", "ATOM price breaks out as crypto rebounds", "", []string{"ATOM"}},
		{"Cosmos Hub", "Cosmos Hub passes an inflation cut", "", []string{"ATOM"}},
		{"Cosmos without crypto context", "Cosmos magazine names its photo of the year", "", nil},
		{"apt is a word", "An apt comparison for crypto winters", "", nil},
		{"APT the threat group", "APT hackers drain a crypto exchange", "", nil},
		{"APT token", "APT token unlock adds supply", "", []string{"APT"}},
		{"Aptos by name", "Aptos Labs ships a new wallet", "", []string{"APT"}},
		{"arbitrage is not ARB", "Crypto arbitrage desks profit from the arb", "", nil},
		{"ARB pair", "ARB/USDT breaks down", "", []string{"ARB"}},
		{"Arbitrum by name", "Arbitrum DAO votes on grants", "", []string{"ARB"}},
		{"Poland and politics are not POL", "POL: Poland's crypto politics heat up", "", nil},
		{"POL token", "POL token migration from MATIC completes", "", []string{"POL"}},
		{"Polygon with crypto context", "Polygon blockchain upgrades its bridge", "", []string{"POL"}},
		{"polygon the shape", "Designers favour the polygon look", "", nil},

		// ADA, DOGE, HYPE, TRON, PEPE, ETC, Stellar, Avalanche.
		{"ADA the disabilities act", "Retailer settles ADA compliance lawsuit", "", nil},
		{"ADA upper case with crypto context", "ADA whales accumulate as crypto dips", "", []string{"ADA"}},
		{"ADA vetoed beside disabilities", "ADA suit against crypto ATM operator", "The Americans with Disabilities Act requires access.", nil},
		{"DOGE the government department", "Musk's DOGE cuts spending; bitcoin unmoved", "The Department of Government Efficiency said.", []string{"BTC"}},
		{"DOGE with crypto context", "DOGE jumps as meme coins rally", "", []string{"DOGE"}},
		{"Dogecoin by name", "Dogecoin gains more US ground", "", []string{"DOGE"}},
		{"hype is a word", "Crypto hype fades as volumes drop", "", nil},
		{"HYPE upper case with crypto context", "HYPE invalidates a crypto bull-market threshold", "", []string{"HYPE"}},
		{"Tron the film", "Tron: Ares tops the box office", "", nil},
		{"TRON with crypto context", "TRON network fees fall for stablecoin transfers", "", []string{"TRX"}},
		{"Pepe the person", "Pepe Guardiola signs a new contract", "", nil},
		{"PEPE with crypto context", "PEPE leads memecoins higher", "", []string{"PEPE"}},
		{"etc. the abbreviation", "Stocks, bonds, crypto etc. all fell", "", nil},
		{"ETC alone in capitals", "ETC, BTC and LTC open lower", "", []string{"BTC", "LTC"}},
		{"ETC price", "ETC price jumps 12%", "", []string{"ETC"}},
		{"stellar the adjective", "Nvidia posts stellar results", "", nil},
		{"Stellar capitalized without context", "Stellar Quarter for Apple", "", nil},
		{"Stellar with crypto context", "Stellar unlocks a new DeFi milestone", "", []string{"XLM"}},
		{"avalanche the snow", "Avalanche closes Alpine pass", "", nil},
		{"Avalanche with crypto context", "Avalanche subnet launches for a crypto game", "", []string{"AVAX"}},

		// Categories never tag coins.
		{"a category alone tags no coin", "A quiet day", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Tag(tc.title, tc.summary, nil).Coins
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tag(%q, %q).Coins = %v, want %v", tc.title, tc.summary, got, tc.want)
			}
		})
	}
	t.Run("category Bitcoin", func(t *testing.T) {
		if got := Tag("A quiet day", "", []string{"Bitcoin", "BTC"}).Coins; got != nil {
			t.Errorf("Coins = %v, want none from categories", got)
		}
	})
}

func TestCoinsList(t *testing.T) {
	coins := Coins()
	if len(coins) < 30 {
		t.Fatalf("len(Coins()) = %d, want at least 30", len(coins))
	}
	wantTop := []string{"BTC", "ETH", "USDT", "XRP", "BNB", "SOL", "USDC", "DOGE", "TRX", "ADA"}
	for i, tk := range wantTop {
		if coins[i].Ticker != tk {
			t.Errorf("Coins()[%d].Ticker = %s, want %s", i, coins[i].Ticker, tk)
		}
	}
	seen := map[string]bool{}
	for _, c := range coins {
		if c.Ticker != strings.ToUpper(c.Ticker) || c.Ticker == "" || c.Name == "" {
			t.Errorf("coin %+v: ticker must be upper case and name set", c)
		}
		if seen[c.Ticker] {
			t.Errorf("duplicate ticker %s", c.Ticker)
		}
		seen[c.Ticker] = true
		// Every coin must be findable by its own ticker and name.
		for _, q := range []string{c.Ticker, c.Name} {
			if got, ok := LookupCoin(q); !ok || got.Ticker != c.Ticker {
				t.Errorf("LookupCoin(%q) = %v, %t, want %s", q, got.Ticker, ok, c.Ticker)
			}
		}
		// And Tag must find it by its ticker written with '$'.
		if got := Tag("$"+c.Ticker+" moves", "", nil).Coins; !slices.Equal(got, []string{c.Ticker}) {
			t.Errorf("Tag($%s) = %v", c.Ticker, got)
		}
	}
	for _, tk := range []string{"LINK", "AVAX", "DOT", "LTC", "NEAR", "OP", "ARB", "SUI", "TON", "XLM", "HBAR", "SHIB", "BCH", "UNI", "APT", "ATOM", "POL"} {
		if !seen[tk] {
			t.Errorf("Coins() lacks %s", tk)
		}
	}
	if seen["ONE"] {
		t.Errorf("Coins() has ONE; Harmony is not in the top 30 and is deliberately untracked")
	}
	// The result is a copy.
	coins[0].Aliases = append(coins[0].Aliases, "mutated")
	coins[0].Name = "mutated"
	if c := Coins()[0]; c.Name != "Bitcoin" || slices.Contains(c.Aliases, "mutated") {
		t.Errorf("Coins() shares state with its callers: %+v", c)
	}
}

func TestLookupCoin(t *testing.T) {
	tests := []struct {
		q    string
		want string // "" for not found
	}{
		{"btc", "BTC"},
		{"BTC", "BTC"},
		{"Bitcoin", "BTC"},
		{"$ETH", "ETH"},
		{" $eth ", "ETH"},
		{"ether", "ETH"},
		{"Ethereum", "ETH"},
		{"ripple", "XRP"}, // a user typing it means the coin
		{"tether", "USDT"},
		{"matic", "POL"},
		{"Polygon", "POL"},
		{"near", "NEAR"},
		{"NEAR Protocol", "NEAR"},
		{"shiba inu", "SHIB"},
		{"usd coin", "USDC"},
		{"one", ""},
		{"", ""},
		{"$", ""},
		{"bitcoin cash", "BCH"},
		{"dogecoin", "DOGE"},
	}
	for _, tc := range tests {
		got, ok := LookupCoin(tc.q)
		if tc.want == "" {
			if ok {
				t.Errorf("LookupCoin(%q) = %s, want not found", tc.q, got.Ticker)
			}
			continue
		}
		if !ok || got.Ticker != tc.want {
			t.Errorf("LookupCoin(%q) = %q, %t, want %s", tc.q, got.Ticker, ok, tc.want)
		}
	}
}

func TestSearchCoins(t *testing.T) {
	tickers := func(cs []Coin) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Ticker)
		}
		return out
	}
	tests := []struct {
		prefix string
		max    int
		want   []string
	}{
		{"", 3, []string{"BTC", "ETH", "USDT"}},
		{"bit", 5, []string{"BTC", "BCH", "ARB"}}, // prefix matches first, then Arbitrum by substring
		{"$b", 3, []string{"BTC", "BNB", "BCH"}},
		{"eth", 5, []string{"ETH", "ETC", "USDT"}}, // "Tether" contains "eth"
		{"ETH", 1, []string{"ETH"}},
		{"usd", 5, []string{"USDT", "USDC"}},
		{"sol", 5, []string{"SOL"}},
		{"coin", 5, []string{"BTC", "USDC", "DOGE", "BCH", "LTC"}}, // no prefix match; substrings in rank order
		{"ma", 5, []string{"POL"}},                                 // alias matic
		{"zzz", 5, nil},
		{"b", 0, nil},
	}
	for _, tc := range tests {
		got := tickers(SearchCoins(tc.prefix, tc.max))
		if !slices.Equal(got, tc.want) {
			t.Errorf("SearchCoins(%q, %d) = %v, want %v", tc.prefix, tc.max, got, tc.want)
		}
	}
	if n := len(SearchCoins("", 25)); n != 25 {
		t.Errorf("SearchCoins(\"\", 25) returned %d coins, want 25", n)
	}
}
