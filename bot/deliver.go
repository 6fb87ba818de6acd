package bot

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/jobs/tag"
	"github.com/pulsebot/pulsebot/store"
)

// Delivery tuning.
const (
	// deliveryLease is how long a send may take before the row is due
	// again. It stays well inside the few minutes Discord remembers a
	// nonce for, so a send retried after a crash is deduplicated.
	deliveryLease = 2 * time.Minute
	// maxDeliveryAttempts bounds retries of transient failures: with
	// deliveryBackoff that is about six hours of trying.
	maxDeliveryAttempts = 12
	// deliveryBatch is how many due rows one pass reads at a time.
	deliveryBatch = 50
	// deliveryPoll is the longest the sender sleeps without being woken.
	deliveryPoll = 30 * time.Second
	// historyPages bounds the look for an earlier attempt's post: 500
	// messages back.
	historyPages = 5
)

// deliveryBackoff is the wait before retry n (1-based): 30 s doubling to
// a ceiling of an hour.
func deliveryBackoff(attempt int) time.Duration {
	return time.Duration(math.Min(30*math.Pow(2, float64(max(attempt-1, 0))), 3600)) * time.Second
}

// errGone marks a delivery whose setting or story no longer exists: it is
// dropped quietly, as its owner asked.
var errGone = errors.New("gone")

// sender posts the deliveries the planner (jobs/deliver) put in the
// store's outbox. Each row is leased, rendered from the store as it is
// now, posted with a nonce Discord enforces, and marked sent; transient
// failures are retried with backoff, permanent ones stop the setting and
// are told to the person who made it.
type sender struct {
	b   *Bot
	dg  *discordgo.Session
	red *redactor
	log *slog.Logger
	m   *metrics
	dms map[string]string // user id → DM channel id
	me  string            // the bot's user id, once read

	// afterPost, when set (tests), runs after Discord accepted a post and
	// before it is recorded; an error there stands for a crash.
	afterPost func(store.Delivery) error
}

func newSender(b *Bot, dg *discordgo.Session, red *redactor, log *slog.Logger, m *metrics) *sender {
	return &sender{b: b, dg: dg, red: red, log: log, m: m, dms: map[string]string{}}
}

// run sends what is due until ctx is done, waking early when wake fires
// (the planner added rows). Posts in flight use work, which outlives ctx
// for the shutdown grace period.
func (s *sender) run(ctx, work context.Context, wake <-chan struct{}) {
	for {
		if err := s.sendDue(ctx, work); err != nil && ctx.Err() == nil {
			s.log.Error("delivery pass failed", "err", err)
		}
		wait := deliveryPoll
		if at, ok, err := s.b.Store.NextDeliveryAt(ctx); err == nil && ok {
			wait = min(max(at.Sub(s.b.now()), time.Second), deliveryPoll)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// sendDue sends every delivery due now, oldest first. It stops taking new
// rows when ctx is done; a post already started finishes under work.
func (s *sender) sendDue(ctx, work context.Context) error {
	for ctx.Err() == nil {
		due, err := s.b.Store.DueDeliveries(ctx, deliveryBatch)
		if err != nil {
			return err
		}
		for _, d := range due {
			if ctx.Err() != nil {
				return nil
			}
			s.send(work, d)
		}
		if len(due) < deliveryBatch {
			return nil
		}
	}
	return nil
}

// send makes one attempt at one delivery and records its outcome.
func (s *sender) send(ctx context.Context, due store.Delivery) {
	d, ok, err := s.b.Store.LeaseDelivery(ctx, due.ID, deliveryLease)
	if err != nil {
		s.log.Error("lease delivery", "delivery", due.Key, "err", err)
	}
	if !ok {
		return // taken by another sender, removed with its setting, or the store failed
	}
	log := s.log.With("delivery", d.Key, "attempt", d.Attempts)
	msg, err := s.render(ctx, d)
	if err == nil {
		msg.ID, err = s.deliver(ctx, d, msg)
	}
	if err == nil && s.afterPost != nil {
		if err := s.afterPost(d); err != nil {
			return // "crashed": the lease runs out and the row is retried
		}
	}
	st := s.b.Store
	switch {
	case err == nil:
		if err := st.DeliverySent(ctx, d.ID, msg.ID); err != nil {
			log.Error("record delivery as sent", "message_id", msg.ID, "err", err)
		}
		s.count(d.Kind, "sent")
		log.Info("delivered", "message_id", msg.ID)
	case errors.Is(err, errGone):
		s.fail(ctx, log, d, "not sent: "+err.Error())
		s.count(d.Kind, "dropped")
		log.Info("delivery dropped", "reason", err)
	default:
		reason, permanent := describeFailure(err)
		if permanent || d.Attempts >= maxDeliveryAttempts {
			if !permanent {
				reason = fmt.Sprintf("%s (gave up after %d tries)", reason, d.Attempts)
			}
			s.fail(ctx, log, d, reason)
			s.giveUp(ctx, log, d, reason, permanent)
			s.count(d.Kind, "failed")
			log.Warn("delivery failed", "reason", reason, "err", err)
			return
		}
		at := s.b.now().Add(deliveryBackoff(d.Attempts))
		if rerr := st.RetryDelivery(ctx, d.ID, at, reason); rerr != nil {
			log.Error("schedule delivery retry", "err", rerr)
		}
		s.count(d.Kind, "retry")
		log.Warn("delivery will be retried", "at", at, "err", err)
	}
}

func (s *sender) fail(ctx context.Context, log *slog.Logger, d store.Delivery, reason string) {
	if err := s.b.Store.DeliveryFailed(ctx, d.ID, reason); err != nil {
		log.Error("record delivery as failed", "err", err)
	}
}

func (s *sender) count(kind, outcome string) {
	if s.m != nil {
		s.m.deliveries.WithLabelValues(kind, outcome).Inc()
	}
}

// outgoing is a rendered post.
type outgoing struct {
	Reply
	silent bool
	ID     string // the message id, once posted
}

// render builds the post from the store as it is now: a story alert shows
// the story with its latest outlet count, a digest today's pulse.
func (s *sender) render(ctx context.Context, d store.Delivery) (outgoing, error) {
	st := s.b.Store
	switch d.Kind {
	case store.DeliverStory, store.DeliverPulse:
		a, err := st.Alert(ctx, d.AlertID, d.GuildID)
		if errors.Is(err, store.ErrNotFound) {
			return outgoing{}, fmt.Errorf("alert #%d was removed: %w", d.AlertID, errGone)
		}
		if err != nil {
			return outgoing{}, err
		}
		if a.DisabledReason != "" {
			return outgoing{}, fmt.Errorf("alert #%d is off (%s): %w", a.ID, a.DisabledReason, errGone)
		}
		if d.Kind == store.DeliverPulse {
			return s.pulseAlert(ctx, a, d)
		}
		story, err := s.story(ctx, d)
		if err != nil {
			return outgoing{}, err
		}
		return outgoing{Reply: Reply{
			Content: fmt.Sprintf("**Alert #%d** · %s", a.ID, alertFilters(a, 60, true)),
			Embeds:  []*discordgo.MessageEmbed{storyEmbed(story, fmt.Sprintf("Alert #%d · /alerts remove id:%d stops it", a.ID, a.ID))},
		}}, nil
	case store.DeliverFollow:
		f, err := s.follow(ctx, d)
		if err != nil {
			return outgoing{}, err
		}
		story, err := s.story(ctx, d)
		if err != nil {
			return outgoing{}, err
		}
		return outgoing{Reply: Reply{
			Content: fmt.Sprintf("A story you follow (**#%d**: %s)", f.ID, describeFollow(f, 60, true)),
			Embeds:  []*discordgo.MessageEmbed{storyEmbed(story, fmt.Sprintf("Follow #%d · /unfollow id:%d stops it", f.ID, f.ID))},
		}}, nil
	case store.DeliverDigest:
		dg, err := st.Digest(ctx, d.GuildID)
		if errors.Is(err, store.ErrNotFound) {
			return outgoing{}, fmt.Errorf("the digest was turned off: %w", errGone)
		}
		if err != nil {
			return outgoing{}, err
		}
		if dg.DisabledReason != "" || dg.ChannelID != d.ChannelID {
			return outgoing{}, fmt.Errorf("the digest was changed or turned off: %w", errGone)
		}
		rep, err := s.b.digestMessage(ctx, dg)
		if err != nil {
			return outgoing{}, err
		}
		return outgoing{Reply: rep, silent: dg.Silent}, nil
	case store.DeliverNotice:
		return outgoing{Reply: Reply{Content: clip(d.Body, limitContent)}}, nil
	}
	return outgoing{}, fmt.Errorf("unknown delivery kind %q: %w", d.Kind, errGone)
}

func (s *sender) story(ctx context.Context, d store.Delivery) (store.Story, error) {
	story, err := s.b.Store.Story(ctx, d.StoryID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Story{}, fmt.Errorf("story %d no longer exists: %w", d.StoryID, errGone)
	}
	return story, err
}

func (s *sender) follow(ctx context.Context, d store.Delivery) (store.Follow, error) {
	fs, err := s.b.Store.Follows(ctx, d.UserID)
	if err != nil {
		return store.Follow{}, err
	}
	for _, f := range fs {
		if f.ID == d.FollowID {
			if f.DisabledReason != "" {
				return store.Follow{}, fmt.Errorf("follow #%d is off (%s): %w", f.ID, f.DisabledReason, errGone)
			}
			return f, nil
		}
	}
	return store.Follow{}, fmt.Errorf("follow #%d was removed: %w", d.FollowID, errGone)
}

// pulseAlert renders a pulse alert: what crossed, and the pulse as it is
// now (it may have moved on since the crossing was seen).
func (s *sender) pulseAlert(ctx context.Context, a store.Alert, d store.Delivery) (outgoing, error) {
	scope := pulse.GlobalScope
	var coin *tag.Coin
	if a.Coin != "" {
		scope = a.Coin
		if c, ok := tag.LookupCoin(a.Coin); ok {
			coin = &c
		}
	}
	day, err := time.Parse(time.DateOnly, d.Day)
	if err != nil {
		return outgoing{}, fmt.Errorf("pulse alert day %q: %w", d.Day, errGone)
	}
	res, err := s.b.Pulses.Get(ctx, scope, day)
	var ue *pulsejob.UserError
	if errors.As(err, &ue) {
		return outgoing{}, fmt.Errorf("no pulse for %s on %s: %w", scope, d.Day, errGone)
	}
	if err != nil {
		return outgoing{}, err
	}
	what := "The Market Pulse"
	if coin != nil {
		what = "The " + coin.Ticker + " pulse"
	}
	crossed := ""
	switch {
	case a.Above != nil && d.Score > *a.Above:
		crossed = fmt.Sprintf("rose above %.1f", *a.Above)
	case a.Below != nil && d.Score < *a.Below:
		crossed = fmt.Sprintf("fell below %.1f", *a.Below)
	default:
		crossed = "crossed a level"
	}
	rep := Reply{
		Content: fmt.Sprintf("**Pulse alert #%d**: %s %s (%.1f, %s).\n-# /alerts remove id:%d stops this alert.", a.ID, what, crossed, d.Score, pulse.BandOf(d.Score), a.ID),
		Embeds:  []*discordgo.MessageEmbed{pulseEmbed(res, coin, s.b.now(), true)},
	}
	if !s.b.noChart {
		rep = s.b.withChart(ctx, rep, res)
	}
	return outgoing{Reply: rep}, nil
}

// storyEmbed shows one story: its headline linked, who reported it, its
// coins, when it broke and how it reads.
func storyEmbed(st store.Story, footer string) *discordgo.MessageEmbed {
	meta := []string{"reported by " + plural(max(st.Outlets, 1), "outlet")}
	if len(st.Coins) > 0 {
		meta = append(meta, coinList(st.Coins, 5))
	}
	meta = append(meta, discordTime(st.FirstPublished, "R"))
	if st.Sentiment.Label != "" {
		meta = append(meta, st.Sentiment.Label)
	}
	e := &discordgo.MessageEmbed{
		Title:       clip(escapeText(st.Headline), limitTitle),
		Description: strings.Join(meta, " · "),
		Color:       sentimentColor(st.Sentiment.Label),
		Footer:      &discordgo.MessageEmbedFooter{Text: footer},
	}
	if u := safeURL(st.URL); u != "" {
		e.URL = u
	}
	return e
}

func sentimentColor(label string) int {
	switch label {
	case "bullish":
		return 0x2E9E5B
	case "bearish":
		return 0xD9534F
	}
	return 0x5865F2
}

// deliver posts a rendered delivery to its channel, or to its person's
// DMs, and returns the message id. A retry first looks for the post among
// the channel's recent messages: some earlier attempt may have been
// accepted without pulsebot learning it (a crash between posting and
// recording, an answer lost on the way), and after a few minutes Discord
// no longer matches the nonce. Every retry looks, not only the one after
// such an attempt, because a later attempt that failed outright does not
// make the earlier one unposted. If the history can't be read (no Read
// Message History permission), the nonce is all there is.
func (s *sender) deliver(ctx context.Context, d store.Delivery, msg outgoing) (string, error) {
	ch := d.ChannelID
	if ch == "" {
		var err error
		if ch, err = s.dmChannel(ctx, d.UserID); err != nil {
			return "", err
		}
	}
	if d.Attempts > 1 {
		id, err := s.findPosted(ctx, ch, msg)
		if err != nil {
			s.log.Warn("could not check whether an earlier attempt was posted; relying on the nonce", "delivery", d.Key, "err", err)
		} else if id != "" {
			s.log.Info("an earlier attempt was posted", "delivery", d.Key, "message_id", id)
			return id, nil
		}
	}
	return s.post(ctx, ch, d, msg)
}

// findPosted returns the id of a recent message of pulsebot's in ch that
// is msg (same text, same embed titles and links), or "". It reads up to
// historyPages pages of 100 messages, newest first.
func (s *sender) findPosted(ctx context.Context, ch string, msg outgoing) (string, error) {
	opt := discordgo.WithContext(ctx)
	if s.me == "" {
		u, err := s.dg.User("@me", opt)
		if err != nil {
			return "", restError(s.red, "read the bot user", err)
		}
		s.me = u.ID
	}
	before := ""
	for range historyPages {
		recent, err := s.dg.ChannelMessages(ch, 100, before, "", "", opt)
		if err != nil {
			return "", restError(s.red, "read recent messages", err)
		}
		for _, m := range recent {
			if m.Author != nil && m.Author.ID == s.me && samePost(m, msg) {
				return m.ID, nil
			}
		}
		if len(recent) < 100 {
			break
		}
		before = recent[len(recent)-1].ID
	}
	return "", nil
}

// samePost reports whether a posted message is the rendered one. The
// embed descriptions are not compared: they carry counts (outlets, stories)
// that may have grown since the earlier attempt.
func samePost(m *discordgo.Message, msg outgoing) bool {
	if m.Content != msg.Content || len(m.Embeds) != len(msg.Embeds) {
		return false
	}
	for i, e := range msg.Embeds {
		if m.Embeds[i].Title != e.Title || m.Embeds[i].URL != e.URL {
			return false
		}
	}
	return true
}

// post sends a rendered delivery to channel ch.
func (s *sender) post(ctx context.Context, ch string, d store.Delivery, msg outgoing) (string, error) {
	body := struct {
		Content         string                            `json:"content,omitempty"`
		Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
		AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
		Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
		Nonce           string                            `json:"nonce"`
		EnforceNonce    bool                              `json:"enforce_nonce"`
	}{
		Content: msg.Content, Embeds: msg.Embeds, AllowedMentions: AllowedMentions(msg.MentionRoles),
		Nonce: deliveryNonce(d), EnforceNonce: true,
	}
	if msg.silent {
		body.Flags = discordgo.MessageFlagsSuppressNotifications
	}
	endpoint := discordgo.EndpointChannelMessages(ch)
	opt := discordgo.WithContext(ctx)
	var raw []byte
	var err error
	if len(msg.Files) > 0 {
		var ctype string
		var payload []byte
		if ctype, payload, err = discordgo.MultipartBodyWithJSON(body, msg.Files); err != nil {
			return "", fmt.Errorf("bot: build multipart message: %w", err)
		}
		raw, err = s.dg.RequestRaw("POST", endpoint, ctype, payload, endpoint, 0, opt)
	} else {
		raw, err = s.dg.RequestWithBucketID("POST", endpoint, body, endpoint, opt)
	}
	if err != nil {
		return "", restError(s.red, "post "+d.Kind, err)
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.ID == "" {
		return "", fmt.Errorf("bot: post %s: unreadable answer from Discord", d.Kind)
	}
	return m.ID, nil
}

// dmChannel opens (once per run) the DM channel with a person.
func (s *sender) dmChannel(ctx context.Context, userID string) (string, error) {
	if id, ok := s.dms[userID]; ok {
		return id, nil
	}
	ch, err := s.dg.UserChannelCreate(userID, discordgo.WithContext(ctx))
	if err != nil {
		return "", restError(s.red, "open DM", err)
	}
	s.dms[userID] = ch.ID
	return ch.ID, nil
}

// deliveryNonce is the post's nonce (at most 25 characters): the row id
// and a hash of its key, the same for every attempt at that row.
func deliveryNonce(d store.Delivery) string {
	h := sha256.Sum256([]byte(d.Key))
	return "pb" + strconv.FormatInt(d.ID, 36) + fmt.Sprintf("%x", h[:5])
}

// describeFailure says in plain words why a post failed, and whether
// trying again could help. Missing access or permissions, a deleted
// channel, closed DMs and a post Discord refuses as malformed are
// permanent; rate limits, server errors and network trouble are not.
func describeFailure(err error) (reason string, permanent bool) {
	var de *DiscordError
	if !errors.As(err, &de) {
		return err.Error(), false
	}
	switch {
	case de.Status == 0:
		return "no answer from Discord: " + de.Message, false
	case de.Code == 50001:
		return "pulsebot can't see that channel (Missing Access)", true
	case de.Code == 50013:
		return "pulsebot lacks a permission it needs there (Missing Permissions: View Channel, Send Messages, Embed Links, Attach Files)", true
	case de.Code == 10003:
		return "the channel no longer exists (Unknown Channel)", true
	case de.Code == 50007:
		return "Discord won't deliver DMs to that person (their DMs are closed to the bot)", true
	case de.Code == 10013:
		return "that person's account no longer exists (Unknown User)", true
	case de.Status == 403 || de.Status == 404:
		return fmt.Sprintf("Discord refused the post: %s", de.Message), true
	case de.Status == 400:
		return fmt.Sprintf("Discord refused the post as malformed: %s", de.Message), true
	}
	return de.Error(), false
}

// giveUp handles a delivery that will never be posted. A permanent failure
// turns its setting off (the next posts would fail the same way) and, for
// a server setting, tells the admin who made it by DM; a follow's owner
// has DMs closed, so the reason waits for them in /following. A post that
// kept failing for transient reasons leaves the setting on and tells the
// admin once per setting.
func (s *sender) giveUp(ctx context.Context, log *slog.Logger, d store.Delivery, reason string, permanent bool) {
	st := s.b.Store
	var who, key, body string
	switch d.Kind {
	case store.DeliverStory, store.DeliverPulse:
		a, err := st.Alert(ctx, d.AlertID, d.GuildID)
		if err != nil {
			log.Warn("alert of a failed delivery", "err", err)
			return
		}
		who = a.CreatedBy
		if permanent {
			if err := st.DisableAlert(ctx, a.ID, reason); err != nil {
				log.Error("turn alert off", "alert_id", a.ID, "err", err)
			}
			key = fmt.Sprintf("notice:alert:%d", a.ID)
			body = fmt.Sprintf("Your pulsebot alert **#%d** (%s) in %s is now **off**: %s. Fix that, then add the alert again with /alerts add or /alerts pulse.",
				a.ID, alertFilters(a, 60, true), channelMention(a.ChannelID), reason)
		} else {
			key = fmt.Sprintf("notice:alert:%d:retry", a.ID)
			body = fmt.Sprintf("pulsebot could not post alert **#%d** (%s) in %s: %s. The alert stays on; /status shows how deliveries are going.",
				a.ID, alertFilters(a, 60, true), channelMention(a.ChannelID), reason)
		}
	case store.DeliverDigest:
		dg, err := st.Digest(ctx, d.GuildID)
		if err != nil {
			log.Warn("digest of a failed delivery", "err", err)
			return
		}
		who = dg.CreatedBy
		if permanent {
			if err := st.DisableDigest(ctx, dg.GuildID, reason); err != nil {
				log.Error("turn digest off", "guild_id", dg.GuildID, "err", err)
			}
			key = fmt.Sprintf("notice:digest:%s:%d", dg.GuildID, dg.UpdatedAt.Unix())
			body = fmt.Sprintf("Your server's pulsebot digest to %s is now **off**: %s. Fix that, then /digest set turns it back on.", channelMention(dg.ChannelID), reason)
		} else {
			key = fmt.Sprintf("notice:digest:%s:%s:retry", dg.GuildID, d.Day)
			body = fmt.Sprintf("pulsebot could not post the %s digest in %s: %s. The digest stays on.", d.Day, channelMention(dg.ChannelID), reason)
		}
	case store.DeliverFollow:
		if permanent {
			if err := st.DisableFollow(ctx, d.FollowID, reason); err != nil {
				log.Error("turn follow off", "follow_id", d.FollowID, "err", err)
			}
		}
		return
	default: // a notice that could not be delivered: the log and /status are all that is left
		return
	}
	if _, err := st.Enqueue(ctx, store.Delivery{Key: key, Kind: store.DeliverNotice, GuildID: d.GuildID, UserID: who, Body: body}); err != nil {
		log.Error("plan notice", "err", err)
	}
}
