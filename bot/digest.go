package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// digestStories is how many stories a digest lists.
const digestStories = 5

// digestSet answers /digest set channel time [timezone] [role] [silent].
func (b *Bot) digestSet(ctx context.Context, in *Interaction) (Reply, error) {
	if !in.Has("channel") {
		return Reply{}, Userf("Give the channel the digest goes to.")
	}
	channel, err := channelArg(in)
	if err != nil {
		return Reply{}, err
	}
	hhmm, err := timeArg(in.Str("time"))
	if err != nil {
		return Reply{}, err
	}
	tz := "UTC"
	if in.Has("timezone") {
		name, _, ok := loadTimezone(in.Str("timezone"))
		if !ok {
			return Reply{}, Userf("%s is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York; start typing for suggestions.", quoted(in.Str("timezone"), 64))
		}
		tz = name
	}
	role := ""
	if r, ok := in.Options["role"]; ok && r.Str != "" {
		if !isSnowflake(r.Str) {
			return Reply{}, Userf("Pick a role of this server.")
		}
		// The @everyone role has the server's id: mentioning it would
		// ping every member, which is not what a digest role is for.
		if r.Str == in.GuildID {
			return Reply{}, Userf("Pick a role other than @\u200beveryone: the digest may mention one role, not the whole server.")
		}
		role = r.Str
	}
	d, err := b.Store.SetDigest(ctx, store.Digest{
		GuildID: in.GuildID, ChannelID: channel, Time: hhmm, Timezone: tz, RoleID: role,
		Silent: in.Options["silent"].Bool, CreatedBy: in.UserID,
	})
	if err != nil {
		return Reply{}, err
	}
	b.logger().Info("digest saved", "guild_id", d.GuildID, "user_id", in.UserID)
	return Reply{Content: "Saved: " + describeDigest(d, b.now()), Ephemeral: true}, nil
}

// timeArg parses HH:MM (24-hour; "9:30" is read as "09:30").
func timeArg(s string) (string, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(h) < 1 || len(h) > 2 || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return "", Userf("%s is not a time of day: use HH:MM, 24-hour (for example 08:30 or 18:00).", quoted(s, 20))
	}
	return fmt.Sprintf("%02d:%02d", hh, mm), nil
}

// nextDigest is when a digest next goes out after now: today's HH:MM in
// its zone if that is still ahead, else tomorrow's. Across a DST change
// time.Date normalizes a skipped local time forward.
func nextDigest(d store.Digest, now time.Time) (time.Time, bool) {
	_, loc, ok := loadTimezone(d.Timezone)
	if !ok {
		return time.Time{}, false
	}
	hh, _ := strconv.Atoi(d.Time[:2])
	mm, _ := strconv.Atoi(d.Time[3:])
	local := now.In(loc)
	t := time.Date(local.Year(), local.Month(), local.Day(), hh, mm, 0, 0, loc)
	if !t.After(now) {
		t = time.Date(local.Year(), local.Month(), local.Day()+1, hh, mm, 0, 0, loc)
	}
	return t, true
}

// describeDigest says where and when a digest goes out.
func describeDigest(d store.Digest, now time.Time) string {
	s := fmt.Sprintf("the daily digest goes to %s at %s %s", channelMention(d.ChannelID), d.Time, d.Timezone)
	if next, ok := nextDigest(d, now); ok {
		s += " (next " + discordTime(next, "f") + ", " + discordTime(next, "R") + ")"
	}
	if d.RoleID != "" {
		s += ", mentioning " + roleMention(d.RoleID)
	}
	if d.Silent {
		s += ", silently"
	}
	return s + "."
}

// digestOff answers /digest off.
func (b *Bot) digestOff(ctx context.Context, in *Interaction) (Reply, error) {
	d, err := b.Store.RemoveDigest(ctx, in.GuildID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, Userf("This server has no digest to turn off.")
	}
	if err != nil {
		return Reply{}, err
	}
	b.logger().Info("digest removed", "guild_id", d.GuildID, "user_id", in.UserID)
	return Reply{Content: "Digest off: nothing more goes to " + channelMention(d.ChannelID) + ".", Ephemeral: true}, nil
}

// digestPreview answers /digest preview (anyone may look): the digest as
// it would be posted now, shown only to the asker. The configured role is
// mentioned exactly as the digest would, but an ephemeral message
// notifies nobody else.
func (b *Bot) digestPreview(ctx context.Context, in *Interaction) (Reply, error) {
	d, err := b.Store.Digest(ctx, in.GuildID)
	configured := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Reply{}, err
	}
	rep, err := b.digestMessage(ctx, d)
	if err != nil {
		return Reply{}, err
	}
	note := "**Preview**: this server has no digest yet; /digest set schedules one."
	if configured {
		note = "**Preview** (only you see it): " + describeDigest(d, b.now())
	}
	rep.Content = note + "\n" + rep.Content
	rep.Ephemeral = true
	return rep, nil
}

// digestMessage renders a server's digest as it is posted: the role
// mention (the only mention pulsebot ever allows), today's pulse so far
// with its 30-day chart, and the top stories of the last 24 hours.
func (b *Bot) digestMessage(ctx context.Context, d store.Digest) (Reply, error) {
	now := b.now()
	local := now.UTC()
	if loc, err := time.LoadLocation(d.Timezone); err == nil && d.Timezone != "" {
		local = now.In(loc) // the server's day: Tokyo's 08:00 digest is dated Tokyo's today
	}
	var rep Reply
	rep.Content = "Your daily crypto news digest for " + local.Format("Monday 2 January") + "."
	if d.RoleID != "" {
		rep.Content = roleMention(d.RoleID) + " " + rep.Content
		rep.MentionRoles = []string{d.RoleID}
	}
	res, err := b.Pulses.Get(ctx, pulse.GlobalScope, now)
	hasPulse := err == nil
	var pe *pulsejob.UserError
	switch {
	case errors.As(err, &pe):
		rep.Content += "\nNo pulse yet: " + pe.Msg
	case err != nil:
		return Reply{}, err
	default:
		rep.Embeds = append(rep.Embeds, pulseEmbed(res, nil, now, true))
	}
	stories, recent, err := b.topStories(ctx, store.StoryFilter{Limit: digestStories})
	if err != nil {
		return Reply{}, err
	}
	if len(stories) > 0 {
		rep.Embeds = append(rep.Embeds, storiesEmbed(stories, recent, storyQuery{}))
	}
	if hasPulse && !b.noChart {
		rep = b.withChart(ctx, rep, res) // the pulse embed is the first
	}
	return rep, nil
}
