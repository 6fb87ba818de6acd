package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/cluster"
	"github.com/pulsebot/pulsebot/jobs/tag"
	"github.com/pulsebot/pulsebot/store"
)

// storiesWindow is the period /stories ranks.
const storiesWindow = 24 * time.Hour

// stories answers /stories [coin] [topic] [limit]: the top stories of the
// last 24 hours, ranked by outlet reach and freshness; when there are none,
// the most recent ones with their dates.
func (b *Bot) stories(ctx context.Context, in *Interaction) (Reply, error) {
	coin, isCoin, err := coinArg(in)
	if err != nil {
		return Reply{}, err
	}
	topic, err := topicArg(in)
	if err != nil {
		return Reply{}, err
	}
	limit := 5
	if in.Has("limit") {
		n := in.Options["limit"].Int
		if n < 1 || n > 10 {
			return Reply{}, Userf("limit is a number of stories from 1 to 10 (got %d).", n)
		}
		limit = int(n)
	}
	f := store.StoryFilter{Topic: topic, Limit: limit}
	if isCoin {
		f.Coin = coin.Ticker
	}
	q := storyQuery{coin: coin.Ticker, topic: topic}
	top, recent, err := b.topStories(ctx, f)
	if err != nil {
		return Reply{}, err
	}
	if len(top) == 0 {
		return Reply{Content: "No stories" + q.about() + " yet. The first ingest may still be running; /status shows the feeds."}, nil
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{storiesEmbed(top, recent, q)}}, nil
}

// topStories returns the top stories of the last 24 hours matching f, or,
// when there are none, the most recent ones (recent = true).
func (b *Bot) topStories(ctx context.Context, f store.StoryFilter) (stories []store.Story, recent bool, err error) {
	f.Since = b.now().Add(-storiesWindow)
	top, err := b.Store.TopStories(ctx, f, cluster.Rank)
	if err != nil || len(top) > 0 {
		return top, false, err
	}
	f.Since = time.Time{}
	latest, err := b.Store.Stories(ctx, f)
	return latest, true, err
}

// topicArg validates the topic option ("" when absent).
func topicArg(in *Interaction) (string, error) {
	t := strings.ToLower(strings.TrimSpace(in.Str("topic")))
	if t == "" || tag.IsTopic(t) {
		return t, nil
	}
	return "", Userf("“%s” is not a topic. Topics: %s.", escapeText(clip(t, 40)), strings.Join(tag.TopicIDs(), ", "))
}

// storyQuery is what a list of stories was filtered on, for its title.
type storyQuery struct{ coin, topic string }

func (q storyQuery) about() string {
	var s string
	if q.coin != "" {
		s += " about " + q.coin
	}
	if q.topic != "" {
		s += " on " + q.topic
	}
	return s
}

// storiesEmbed lists stories: the headline linked to the story, "reported
// by N outlets", its coins and when it was first published. Each story
// gets an equal share of the description, so ten 300-character headlines
// still fit.
func storiesEmbed(stories []store.Story, recent bool, q storyQuery) *discordgo.MessageEmbed {
	title := "Top stories of the last 24 hours" + q.about()
	head, footer := "", "Ranked by how many outlets ran a story and how fresh it is."
	if recent {
		title = "Latest stories" + q.about()
		head = "*Nothing new in the last 24 hours; these are the most recent.*\n\n"
		footer = "Newest first."
	}
	budget := (limitDescription-runeLen(head))/max(len(stories), 1) - 2
	lines := make([]string, 0, len(stories))
	for i, s := range stories {
		meta := []string{"reported by " + plural(max(s.Outlets, 1), "outlet")}
		if len(s.Coins) > 0 {
			meta = append(meta, coinList(s.Coins, 5))
		}
		when := discordTime(s.FirstPublished, "R")
		if recent {
			when = discordTime(s.FirstPublished, "D") + " (" + when + ")"
		}
		meta = append(meta, when)
		lines = append(lines, linkLine(fmt.Sprintf("**%d.** ", i+1), s.Headline, s.URL, "\n"+strings.Join(meta, " · "), budget))
	}
	return &discordgo.MessageEmbed{
		Title:       title,
		Description: clip(head+strings.Join(lines, "\n\n"), limitDescription),
		Color:       0x5865F2,
		Footer:      &discordgo.MessageEmbedFooter{Text: footer},
	}
}

// coinList shows up to n tickers and how many more there are.
func coinList(coins []string, n int) string {
	if len(coins) <= n {
		return escapeText(strings.Join(coins, ", "))
	}
	return escapeText(strings.Join(coins[:n], ", ")) + fmt.Sprintf(" +%d", len(coins)-n)
}
