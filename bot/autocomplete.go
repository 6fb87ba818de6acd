package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/tag"
)

// complete answers autocomplete for whichever option is focused: coins,
// time zones, and the ids of this server's alerts or the person's follows.
func (b *Bot) complete(ctx context.Context, in *Interaction) (Reply, error) {
	typed := in.Options[in.Focused]
	var choices []*discordgo.ApplicationCommandOptionChoice
	switch in.Focused {
	case "coin":
		choices = coinChoices(typed.Str)
	case "timezone":
		choices = timezoneChoices(typed.Str)
	case "id":
		var err error
		if strings.HasPrefix(in.Command, "alerts") {
			choices, err = b.alertChoices(ctx, in.GuildID, idPrefix(typed))
		} else {
			choices, err = b.followChoices(ctx, in.UserID, idPrefix(typed))
		}
		if err != nil {
			return Reply{}, err
		}
	}
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return Reply{Choices: choices}, nil
}

// idPrefix is what has been typed into an integer option so far ("" when
// nothing, or not a number, was).
func idPrefix(o Option) string {
	if o.Str != "" {
		return strings.TrimPrefix(strings.TrimSpace(o.Str), "#")
	}
	if o.Int != 0 {
		return strconv.FormatInt(o.Int, 10)
	}
	return ""
}

func coinChoices(typed string) []*discordgo.ApplicationCommandOptionChoice {
	coins := tag.SearchCoins(strings.TrimSpace(typed), limitChoices)
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(coins))
	for _, c := range coins {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: c.Ticker + " — " + c.Name, Value: c.Ticker})
	}
	return out
}

// coinArg resolves the coin option by ticker, name or alias. ok is false
// when the option is absent; an unknown coin is a UserError with
// suggestions.
func coinArg(in *Interaction) (c tag.Coin, ok bool, err error) {
	q := strings.TrimSpace(in.Str("coin"))
	if q == "" {
		return tag.Coin{}, false, nil
	}
	q = strings.TrimPrefix(q, "$")
	// Autocomplete values are tickers, but a person may also pick the
	// displayed "BTC — Bitcoin" text in some clients.
	if t, _, cut := strings.Cut(q, " — "); cut {
		q = t
	}
	if c, found := tag.LookupCoin(q); found {
		return c, true, nil
	}
	msg := fmt.Sprintf("I don't track a coin called “%s”.", clip(q, 40))
	if s := suggestCoins(q); len(s) > 0 {
		msg += " Did you mean " + strings.Join(s, ", ") + "?"
	}
	msg += " Start typing in the coin option to pick from the list."
	return tag.Coin{}, false, &UserError{Msg: msg}
}

// suggestCoins names up to three coins like q: by prefix or substring
// first, else the nearest by edit distance (typos: "etherum").
func suggestCoins(q string) []string {
	var out []string
	for _, c := range tag.SearchCoins(q, 3) {
		out = append(out, c.Ticker+" ("+c.Name+")")
	}
	if len(out) > 0 {
		return out
	}
	q = strings.ToLower(q)
	best, bestD := []tag.Coin{}, 3 // at most two edits away
	for _, c := range tag.Coins() {
		d := editDistance(q, strings.ToLower(c.Ticker))
		for _, name := range append([]string{strings.ToLower(c.Name)}, c.Aliases...) {
			d = min(d, editDistance(q, name))
		}
		switch {
		case d < bestD:
			best, bestD = []tag.Coin{c}, d
		case d == bestD && len(best) < 3:
			best = append(best, c)
		}
	}
	for _, c := range best {
		out = append(out, c.Ticker+" ("+c.Name+")")
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, by rune.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
