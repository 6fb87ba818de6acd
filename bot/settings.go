package bot

import (
	"strings"

	"github.com/pulsebot/pulsebot/store"
)

// Alerts, follows and digests are settings: validated here with messages
// a person can act on, saved through store, listed and removable. The
// planner (jobs/deliver) turns them into posts and the sender (deliver.go)
// posts them; each confirmation says when posts will come.
const (
	storyAlertNote = "Matching stories are posted there as they come in: fresh news only, never the items a feed already carried when pulsebot first read it."
	pulseAlertNote = "Posted there when the pulse crosses the level: at most once a day each way, and never on a low-confidence pulse."
	followNote     = "You get a DM when a new story matches, so pulsebot must be allowed to DM you (your privacy settings for this server)."
)

// keywordArg validates the keyword option ("" when absent): one line,
// 2 to 100 characters after trimming.
func keywordArg(in *Interaction) (string, error) {
	k := strings.Join(strings.Fields(in.Str("keyword")), " ")
	if !in.Has("keyword") {
		return "", nil
	}
	switch n := runeLen(k); {
	case n < 2:
		return "", Userf("A keyword needs at least 2 characters.")
	case n > store.MaxKeywordRunes:
		return "", Userf("A keyword can have at most %d characters (this one has %d).", store.MaxKeywordRunes, n)
	}
	return k, nil
}

// channelArg returns the channel option's id, or the current channel when
// the option is absent.
func channelArg(in *Interaction) (string, error) {
	id := in.ChannelID
	if c := in.Options["channel"]; c.Str != "" {
		id = c.Str
	}
	if !isSnowflake(id) {
		return "", Userf("Pick a text channel of this server.")
	}
	return id, nil
}

// isSnowflake reports whether id looks like a Discord id: ids end up in
// mention markup, so nothing else may pass.
func isSnowflake(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// idArg reads a required id option.
func idArg(in *Interaction, what, listCmd string) (int64, error) {
	o, ok := in.Options["id"]
	if !ok || o.Str != "" || o.Int <= 0 {
		return 0, Userf("Give the %s's number: /%s lists them.", what, listCmd)
	}
	return o.Int, nil
}

// channelMention and roleMention render ids as Discord shows them (a
// channel or role name). They never ping: allowed_mentions.parse is empty
// and only a digest's own role is ever allowed.
func channelMention(id string) string { return "<#" + id + ">" }
func roleMention(id string) string    { return "<@&" + id + ">" }

// quoted shows a person's text in quotes, made inert.
func quoted(s string, max int) string { return "“" + escapeText(clip(s, max)) + "”" }
