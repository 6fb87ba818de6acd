package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/store"
)

// follow answers /follow [keyword] [coin]: a personal alert, by DM.
func (b *Bot) follow(ctx context.Context, in *Interaction) (Reply, error) {
	kw, err := keywordArg(in)
	if err != nil {
		return Reply{}, err
	}
	coin, _, err := coinArg(in)
	if err != nil {
		return Reply{}, err
	}
	if kw == "" && coin.Ticker == "" {
		return Reply{}, Userf("Give a keyword, a coin or both.")
	}
	f, err := b.Store.CreateFollow(ctx, store.Follow{UserID: in.UserID, Keyword: kw, Coin: coin.Ticker})
	if errors.Is(err, store.ErrLimit) {
		return Reply{}, Userf("You already have %d follows, the most you can have. Remove one with /unfollow first.", store.MaxFollowsPerUser)
	}
	if err != nil {
		return Reply{}, err
	}
	b.logger().Info("follow saved", "follow_id", f.ID, "user_id", in.UserID)
	return Reply{
		Content:   fmt.Sprintf("Following **#%d**: %s, by DM.\n%s", f.ID, describeFollow(f, store.MaxKeywordRunes, true), followNote),
		Ephemeral: true,
	}, nil
}

// unfollow answers /unfollow id: only the person's own follows.
func (b *Bot) unfollow(ctx context.Context, in *Interaction) (Reply, error) {
	id, err := idArg(in, "follow", "following")
	if err != nil {
		return Reply{}, err
	}
	f, err := b.Store.RemoveFollow(ctx, id, in.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, Userf("You have no follow #%d. /following lists yours.", id)
	}
	if err != nil {
		return Reply{}, err
	}
	return Reply{Content: fmt.Sprintf("Stopped following **#%d**: %s.", f.ID, describeFollow(f, store.MaxKeywordRunes, true)), Ephemeral: true}, nil
}

// following answers /following.
func (b *Bot) following(ctx context.Context, in *Interaction) (Reply, error) {
	follows, err := b.Store.Follows(ctx, in.UserID)
	if err != nil {
		return Reply{}, err
	}
	if len(follows) == 0 {
		return Reply{Content: "You follow nothing yet. /follow keyword or coin gets you a DM when a story matches.", Ephemeral: true}, nil
	}
	budget := limitDescription/len(follows) - 1
	lines := make([]string, 0, len(follows))
	for _, f := range follows {
		var line string
		for _, kw := range []int{store.MaxKeywordRunes, 40, 15} {
			line = fmt.Sprintf("**#%d** %s", f.ID, describeFollow(f, kw, true))
			if f.DisabledReason != "" {
				line += "\n  ⚠ disabled " + discordTime(f.DisabledAt, "R") + ": " + escapeText(clip(f.DisabledReason, 120))
			}
			if runeLen(line) <= budget {
				break
			}
		}
		lines = append(lines, clip(line, budget))
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{{
		Title:       fmt.Sprintf("Your follows (%d of %d)", len(follows), store.MaxFollowsPerUser),
		Description: clip(strings.Join(lines, "\n"), limitDescription),
		Color:       0x5865F2,
		Footer:      &discordgo.MessageEmbedFooter{Text: "Stop one with /unfollow."},
	}}, Ephemeral: true}, nil
}

func describeFollow(f store.Follow, kwMax int, markdown bool) string {
	var filters []string
	if f.Keyword != "" {
		if markdown {
			filters = append(filters, "keyword "+quoted(f.Keyword, kwMax))
		} else {
			filters = append(filters, "keyword “"+clip(f.Keyword, kwMax)+"”")
		}
	}
	if f.Coin != "" {
		filters = append(filters, "coin "+f.Coin)
	}
	return "stories with " + strings.Join(filters, " · ")
}

// followChoices suggests the person's follows for /unfollow.
func (b *Bot) followChoices(ctx context.Context, userID, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	follows, err := b.Store.Follows(ctx, userID)
	if err != nil {
		return nil, err
	}
	return idChoices(follows, typed, func(f store.Follow) (int64, string) {
		return f.ID, describeFollow(f, 40, false)
	}), nil
}
