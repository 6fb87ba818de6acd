package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/pulsebot/pulsebot/bot/discordtest"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

const (
	dGuild   = "1300000000000000030"
	dChannel = "1300000000000000031"
	dLocked  = "1300000000000000032" // a channel pulsebot can't post in
	dRole    = "1300000000000000033"
	dAdmin   = "1300000000000000040"
	dMember  = "1300000000000000041"
	dToken   = "delivery-test-token-SENTINEL"
)

var dNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// deliveryRig is a sender wired to the Discord fake (validating against
// the OpenAPI spec when ../shared is there) and a real store with a
// settable clock.
type deliveryRig struct {
	srv   *discordtest.Server
	st    *store.Store
	clock *storetest.Clock
	snd   *sender
	logs  *logSink
	story int64
}

func newDeliveryRig(t *testing.T) *deliveryRig {
	t.Helper()
	srv := discordtest.New(t, discordtest.Options{Token: dToken, OpenAPISpec: discordtest.SpecPath(t), Guilds: []discordtest.Guild{{
		ID: dGuild, Name: "Delivery Guild",
		Channels: []discordtest.Channel{{ID: dChannel, Name: "alerts"}, {ID: dLocked, Name: "locked"}},
		Roles:    []discordtest.Role{{ID: dRole, Name: "Traders"}},
	}}})
	st := storetest.Open(t)
	clock := storetest.NewClock(dNow)
	st.Now = clock.Now
	pulses := &pulsejob.Service{Store: st, Now: clock.Now}
	logs := &logSink{}
	log := slog.New(RedactHandler(logs.handler(), dToken))
	b := New(st, pulses, log)
	b.Now = clock.Now
	dg, err := newSession(dToken, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	r := &deliveryRig{srv: srv, st: st, clock: clock, logs: logs,
		snd: newSender(b, dg, newRedactor(dToken), log, newMetrics(prometheus.NewRegistry(), Commands()))}
	ids, err := st.SaveStories(context.Background(), []store.StoryWrite{{
		Key: 1, Headline: "Spot ETF inflows hit a record @everyone", URL: "https://news.example/etf",
		FirstPublished: dNow.Add(-time.Hour), Outlets: 3, Weight: 3, Coins: []string{"BTC"},
		Sentiment: store.Sentiment{Score: 0.7, Label: "bullish", Confidence: 0.9},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r.story = ids[1]
	t.Cleanup(func() {
		if strings.Contains(logs.String(), dToken) {
			t.Error("the token appears in the delivery log")
		}
		if t.Failed() && testing.Verbose() {
			t.Logf("log:\n%s", logs.String())
		}
	})
	return r
}

func (r *deliveryRig) alert(t *testing.T, a store.Alert) store.Alert {
	t.Helper()
	a.GuildID, a.CreatedBy = dGuild, dAdmin
	if a.ChannelID == "" {
		a.ChannelID = dChannel
	}
	a, err := r.st.CreateAlert(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (r *deliveryRig) enqueue(t *testing.T, ds ...store.Delivery) {
	t.Helper()
	if _, err := r.st.Enqueue(context.Background(), ds...); err != nil {
		t.Fatal(err)
	}
}

// pass runs one sending pass.
func (r *deliveryRig) pass(t *testing.T) {
	t.Helper()
	if err := r.snd.sendDue(testCtx(t), testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

func (r *deliveryRig) delivery(t *testing.T, key string) store.Delivery {
	t.Helper()
	ds, err := r.st.Deliveries(context.Background(), key)
	if err != nil || len(ds) != 1 {
		t.Fatalf("delivery %q: %v, %v", key, ds, err)
	}
	return ds[0]
}

// mentions decodes a message's allowed_mentions.
func mentions(t *testing.T, m discordtest.Message) (parse *[]string, roles []string) {
	t.Helper()
	var am struct {
		Parse *[]string `json:"parse"`
		Roles []string  `json:"roles"`
	}
	if err := json.Unmarshal(m.AllowedMentions, &am); err != nil {
		t.Fatalf("allowed_mentions %s: %v", m.AllowedMentions, err)
	}
	return am.Parse, am.Roles
}

func TestDeliverEveryKind(t *testing.T) {
	ctx := context.Background()
	r := newDeliveryRig(t)
	above := 1.0
	storyAlert := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
	pulseAlert := r.alert(t, store.Alert{Kind: store.AlertPulse, Above: &above})
	follow, err := r.st.CreateFollow(ctx, store.Follow{UserID: dMember, Coin: "BTC"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.SetDigest(ctx, store.Digest{GuildID: dGuild, ChannelID: dChannel, Time: "08:00", Timezone: "UTC", RoleID: dRole, Silent: true, CreatedBy: dAdmin}); err != nil {
		t.Fatal(err)
	}
	r.enqueue(t,
		store.Delivery{Key: "story", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: storyAlert.ID, StoryID: r.story},
		store.Delivery{Key: "follow", Kind: store.DeliverFollow, UserID: dMember, FollowID: follow.ID, StoryID: r.story},
		store.Delivery{Key: "pulse", Kind: store.DeliverPulse, GuildID: dGuild, ChannelID: dChannel, AlertID: pulseAlert.ID, Day: "2026-11-27", Score: 6.4},
		store.Delivery{Key: "digest", Kind: store.DeliverDigest, GuildID: dGuild, ChannelID: dChannel, Day: "2026-11-27"},
		store.Delivery{Key: "notice", Kind: store.DeliverNotice, UserID: dAdmin, Body: "Your alert is off @everyone"},
	)
	r.pass(t)

	msgs := r.srv.Messages()
	if len(msgs) != 5 {
		t.Fatalf("%d messages posted, want 5: %+v", len(msgs), msgs)
	}
	byNonce := map[string]discordtest.Message{}
	for _, m := range msgs {
		byNonce[m.Nonce] = m
		parse, roles := mentions(t, m)
		if parse == nil || len(*parse) != 0 {
			t.Errorf("message %q: allowed_mentions.parse = %v, want [] set explicitly", m.Content, parse)
		}
		wantRoles := m.Content != "" && strings.HasPrefix(m.Content, "<@&")
		if (len(roles) > 0) != wantRoles {
			t.Errorf("message %q: roles %v", m.Content, roles)
		}
	}
	for _, key := range []string{"story", "follow", "pulse", "digest", "notice"} {
		d := r.delivery(t, key)
		m, ok := byNonce[deliveryNonce(d)]
		if d.State != store.DeliverySent || !ok || d.MessageID != m.ID {
			t.Errorf("%s: state %s, message %q; want sent with the posted message's id (%v)", key, d.State, d.MessageID, ok)
			continue
		}
		text := m.Content
		for _, e := range m.Embeds {
			text += "\n" + e.Title + "\n" + e.Description
			if e.Footer != nil {
				text += "\n" + e.Footer.Text
			}
		}
		var want []string
		switch key {
		case "story":
			want = []string{fmt.Sprintf("**Alert #%d** · stories with keyword", storyAlert.ID), "reported by 3 outlets", "/alerts remove id:"}
			if m.ChannelID != dChannel || len(m.Embeds) != 1 || m.Embeds[0].URL != "https://news.example/etf" {
				t.Errorf("story alert: channel %s, embeds %+v", m.ChannelID, m.Embeds)
			}
		case "follow":
			want = []string{fmt.Sprintf("A story you follow (**#%d**: stories with coin BTC)", follow.ID), "/unfollow id:"}
			if !m.DM || m.RecipientID != dMember {
				t.Errorf("follow: DM %v to %s, want a DM to %s", m.DM, m.RecipientID, dMember)
			}
		case "pulse":
			want = []string{fmt.Sprintf("**Pulse alert #%d**: The Market Pulse rose above 1.0 (6.4, Greed).", pulseAlert.ID), "Market Pulse"}
			if len(m.Files) != 1 || m.Files[0].Name != "pulse.png" || m.Embeds[0].Image == nil {
				t.Errorf("pulse alert: %d files, embed image %v; want the chart", len(m.Files), m.Embeds[0].Image)
			}
		case "digest":
			want = []string{"<@&" + dRole + "> Your daily crypto news digest", "Top stories of the last 24 hours"}
			if m.Flags&discordgo.MessageFlagsSuppressNotifications == 0 || len(m.Files) != 1 || m.Files[0].Name != "pulse.png" {
				t.Errorf("digest: flags %d, files %d; want a silent post with pulse.png", m.Flags, len(m.Files))
			}
		case "notice":
			want = []string{"Your alert is off @everyone"}
			if !m.DM || m.RecipientID != dAdmin {
				t.Errorf("notice: DM %v to %s", m.DM, m.RecipientID)
			}
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s message lacks %q:\n%s", key, w, text)
			}
		}
		if strings.Contains(text, "@everyone") && key != "notice" && !strings.Contains(text, "@\u200beveryone") {
			t.Errorf("%s: feed text @everyone is not broken: %q", key, text)
		}
	}
	// Nothing is due any more: a second pass posts nothing.
	r.pass(t)
	if n := len(r.srv.Messages()); n != 5 {
		t.Errorf("%d messages after a second pass, want 5", n)
	}
}

func TestDeliverRetriesTransientFailures(t *testing.T) {
	r := newDeliveryRig(t)
	a := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
	r.enqueue(t, store.Delivery{Key: "s", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: a.ID, StoryID: r.story})
	r.srv.FailNext("POST", "/channels/"+dChannel+"/messages", 500, "")
	r.pass(t)
	d := r.delivery(t, "s")
	if d.State != store.DeliveryPending || d.Attempts != 1 || !d.NextAt.Equal(dNow.Add(30*time.Second)) || !strings.Contains(d.LastError, "HTTP 500") {
		t.Fatalf("after a 500: %+v; want pending, retried in 30 s", d)
	}
	r.pass(t) // not due yet
	if n := len(r.srv.Messages()); n != 0 {
		t.Fatalf("%d messages before the retry is due", n)
	}
	r.clock.Add(30 * time.Second)
	r.pass(t)
	if d := r.delivery(t, "s"); d.State != store.DeliverySent || d.Attempts != 2 || len(r.srv.Messages()) != 1 {
		t.Errorf("after the retry: %+v, %d messages; want sent once", d, len(r.srv.Messages()))
	}
}

func TestDeliverGivesUpAfterManyTransientFailures(t *testing.T) {
	r := newDeliveryRig(t)
	a := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
	r.enqueue(t, store.Delivery{Key: "s", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: a.ID, StoryID: r.story})
	for i := 1; i <= maxDeliveryAttempts; i++ {
		r.srv.FailNext("POST", "/channels/"+dChannel+"/messages", 503, "")
		r.pass(t)
		r.clock.Add(deliveryBackoff(i))
	}
	d := r.delivery(t, "s")
	if d.State != store.DeliveryFailed || !strings.Contains(d.LastError, "gave up after 12 tries") {
		t.Fatalf("after %d failures: %+v", maxDeliveryAttempts, d)
	}
	// The alert stays on, and its admin is told once, by DM.
	if got, _ := r.st.Alert(context.Background(), a.ID, dGuild); got.DisabledReason != "" {
		t.Errorf("alert turned off after transient failures: %q", got.DisabledReason)
	}
	r.pass(t)
	msgs := r.srv.Messages()
	if len(msgs) != 1 || !msgs[0].DM || msgs[0].RecipientID != dAdmin || !strings.Contains(msgs[0].Content, "could not post alert") {
		t.Errorf("messages = %+v; want one DM to the admin", msgs)
	}
}

func TestDeliverPermanentFailureTurnsTheSettingOffAndTellsSomeone(t *testing.T) {
	ctx := context.Background()
	r := newDeliveryRig(t)
	locked := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf", ChannelID: dLocked})
	follow, err := r.st.CreateFollow(ctx, store.Follow{UserID: dMember, Keyword: "etf"})
	if err != nil {
		t.Fatal(err)
	}
	r.enqueue(t,
		store.Delivery{Key: "locked", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dLocked, AlertID: locked.ID, StoryID: r.story},
		store.Delivery{Key: "dm", Kind: store.DeliverFollow, UserID: dMember, FollowID: follow.ID, StoryID: r.story})
	r.srv.FailNext("POST", "/channels/"+dLocked+"/messages", 403, `{"message": "Missing Permissions", "code": 50013}`)
	r.srv.FailNext("POST", "/users/@me/channels", 403, `{"message": "Cannot send messages to this user", "code": 50007}`)
	r.pass(t)

	if d := r.delivery(t, "locked"); d.State != store.DeliveryFailed || !strings.Contains(d.LastError, "Missing Permissions") {
		t.Errorf("locked channel delivery = %+v", d)
	}
	a, _ := r.st.Alert(ctx, locked.ID, dGuild)
	if !strings.Contains(a.DisabledReason, "Missing Permissions") {
		t.Errorf("alert disabled reason = %q", a.DisabledReason)
	}
	fs, _ := r.st.Follows(ctx, dMember)
	if len(fs) != 1 || !strings.Contains(fs[0].DisabledReason, "DMs are closed") {
		t.Errorf("follow = %+v, want it off because DMs are closed", fs)
	}
	// The next pass sends the admin the notice planned by this one; the
	// follow's owner can't be told by DM, so nothing else goes out.
	r.pass(t)
	msgs := r.srv.Messages()
	if len(msgs) != 1 || !msgs[0].DM || msgs[0].RecipientID != dAdmin {
		t.Fatalf("messages = %+v, want one DM to the admin", msgs)
	}
	for _, w := range []string{fmt.Sprintf("alert **#%d**", locked.ID), "is now **off**", "Missing Permissions", "<#" + dLocked + ">"} {
		if !strings.Contains(msgs[0].Content, w) {
			t.Errorf("notice lacks %q: %q", w, msgs[0].Content)
		}
	}
	// Later posts for the alert are dropped, not attempted.
	r.enqueue(t, store.Delivery{Key: "later", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dLocked, AlertID: locked.ID, StoryID: r.story})
	r.pass(t)
	if d := r.delivery(t, "later"); d.State != store.DeliveryFailed || !strings.Contains(d.LastError, "not sent: alert") || len(r.srv.Messages()) != 1 {
		t.Errorf("post for a disabled alert = %+v, %d messages", d, len(r.srv.Messages()))
	}
}

// TestDeliverCrashAfterPostIsNotDoubled: the process dies after Discord
// accepted a post and before it was recorded. When the lease runs out, a
// new sender tries again, and finds the post whichever way it can:
//   - in the channel's recent messages, even after Discord has forgotten
//     the nonce (a long outage);
//   - without permission to read the history, through the nonce, which
//     Discord still remembers a couple of minutes later.
func TestDeliverCrashAfterPostIsNotDoubled(t *testing.T) {
	for _, tc := range []struct {
		name          string
		forget        bool // Discord has forgotten the nonce
		noHistory     bool // reading the channel's history is refused
		wantNonceHits int
	}{
		{name: "found in the history after a long outage", forget: true},
		{name: "caught by the nonce without the history", noHistory: true, wantNonceHits: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newDeliveryRig(t)
			a := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
			r.enqueue(t, store.Delivery{Key: "s", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: a.ID, StoryID: r.story})
			r.snd.afterPost = func(store.Delivery) error { return errors.New("crash") }
			r.pass(t)
			if d := r.delivery(t, "s"); d.State != store.DeliveryPending || d.MessageID != "" || len(r.srv.Messages()) != 1 {
				t.Fatalf("after the crash: %+v, %d messages", d, len(r.srv.Messages()))
			}
			r.snd = newSender(r.snd.b, r.snd.dg, r.snd.red, r.snd.log, nil) // the restarted process
			r.pass(t)
			if n := len(r.srv.Messages()); n != 1 {
				t.Fatalf("posted again before the lease ran out: %d messages", n)
			}
			r.clock.Add(deliveryLease)
			if tc.forget {
				r.clock.Add(time.Hour)
				r.srv.ForgetNonces()
			}
			if tc.noHistory {
				r.srv.FailNext("GET", "/channels/"+dChannel+"/messages", 403, `{"message": "Missing Access", "code": 50001}`)
			}
			r.pass(t)
			msgs := r.srv.Messages()
			d := r.delivery(t, "s")
			if len(msgs) != 1 || r.srv.NonceHits() != tc.wantNonceHits || d.State != store.DeliverySent || d.MessageID != msgs[0].ID || d.Attempts != 2 {
				t.Errorf("after the retry: %d messages, %d nonce hits, delivery %+v; want the first message recorded", len(msgs), r.srv.NonceHits(), d)
			}
			if got, _ := r.st.Alert(context.Background(), a.ID, dGuild); got.DisabledReason != "" {
				t.Errorf("alert turned off: %q", got.DisabledReason)
			}
		})
	}
}

func TestDeliverDropsWhatIsGone(t *testing.T) {
	r := newDeliveryRig(t)
	a := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
	r.enqueue(t,
		store.Delivery{Key: "no story", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: a.ID, StoryID: 999},
		store.Delivery{Key: "no alert", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: 999, StoryID: r.story},
		store.Delivery{Key: "no digest", Kind: store.DeliverDigest, GuildID: dGuild, ChannelID: dChannel, Day: "2026-11-27"})
	r.pass(t)
	for _, key := range []string{"no story", "no alert", "no digest"} {
		if d := r.delivery(t, key); d.State != store.DeliveryFailed || !strings.HasPrefix(d.LastError, "not sent: ") {
			t.Errorf("%s: %+v, want failed as not sent", key, d)
		}
	}
	if n := len(r.srv.Messages()); n != 0 {
		t.Errorf("%d messages posted for things that are gone", n)
	}
}

func TestDeliveryBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if got := deliveryBackoff(i + 1); got != w {
			t.Errorf("deliveryBackoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if n := deliveryNonce(store.Delivery{ID: 1 << 62, Key: "story:1:2"}); len(n) > 25 {
		t.Errorf("nonce %q has %d characters, Discord allows 25", n, len(n))
	}
}

// TestServeDeliversWhenWoken runs Serve with a token, as main does, plans
// a post the way the planner does and wakes the sender: the post goes out
// over REST and is recorded as sent, well before the sender's own 30 s
// poll would have found it.
func TestServeDeliversWhenWoken(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Guilds: e2eGuilds()})
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	wake := make(chan struct{}, 1)
	r := startServe(t, srv, b, ServeConfig{Token: srv.Options().Token, Wake: wake}, false)
	ctx := testCtx(t)
	a, err := st.CreateAlert(ctx, store.Alert{GuildID: guildGateway, ChannelID: chanGateway, CreatedBy: "1", Kind: store.AlertStory, Keyword: "bitcoin"})
	if err != nil {
		t.Fatal(err)
	}
	stories, err := st.Stories(ctx, store.StoryFilter{Limit: 1})
	if err != nil || len(stories) == 0 {
		t.Fatalf("demo stories: %v, %v", stories, err)
	}
	if _, err := st.Enqueue(ctx, store.Delivery{Key: "k", Kind: store.DeliverStory, GuildID: guildGateway, ChannelID: chanGateway, AlertID: a.ID, StoryID: stories[0].ID}); err != nil {
		t.Fatal(err)
	}
	wake <- struct{}{}
	msgs, err := srv.WaitMessages(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].ChannelID != chanGateway || !strings.Contains(msgs[0].Content, fmt.Sprintf("**Alert #%d**", a.ID)) {
		t.Errorf("posted %+v", msgs[0])
	}
	// The sender logs "delivered" once the store has the post as sent.
	if err := r.logs.waitFor(ctx, `"msg":"delivered"`, 1); err != nil {
		t.Fatal(err)
	}
	if ds, err := st.Deliveries(ctx, "k"); err != nil || len(ds) != 1 || ds[0].State != store.DeliverySent || ds[0].MessageID != msgs[0].ID {
		t.Errorf("delivery = %+v, %v; want sent as %s", ds, err, msgs[0].ID)
	}
}

func TestDeliveriesText(t *testing.T) {
	last := time.Unix(1795777200, 0)
	for _, tc := range []struct {
		c    store.DeliveryCounts
		want []string
	}{
		{store.DeliveryCounts{}, []string{"Nothing posted in the last 24 hours."}},
		{store.DeliveryCounts{Sent: 3, LastSent: last}, []string{"Last 24 hours: 3 posted, the latest <t:1795777200:R>."}},
		{store.DeliveryCounts{Sent: 1, LastSent: last, Failed: 2, LastFailureAt: last, LastFailure: "pulsebot can't see that channel (Missing Access)", Pending: 4, OldestPendingFor: 90 * time.Second},
			[]string{"⚠ 2 could not be posted; the latest <t:1795777200:R>: pulsebot can't see that channel \\(Missing Access\\)", "4 waiting to go out (the oldest for 1m30s)."}},
	} {
		got := deliveriesText(tc.c)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("deliveriesText(%+v) = %q, lacks %q", tc.c, got, w)
			}
		}
	}
}

// TestDigestIsDatedInTheServersTimeZone: at 23:30 UTC on Thursday it is
// already Friday morning in Tokyo, and a Tokyo digest says so.
func TestDigestIsDatedInTheServersTimeZone(t *testing.T) {
	r := newDeliveryRig(t)
	r.clock.Set(time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC))
	for tz, want := range map[string]string{"Asia/Tokyo": "Friday 27 November", "America/New_York": "Thursday 26 November", "": "Thursday 26 November"} {
		rep, err := r.snd.b.digestMessage(context.Background(), store.Digest{GuildID: dGuild, ChannelID: dChannel, Timezone: tz})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rep.Content, "digest for "+want+".") {
			t.Errorf("%q digest: %q, want it dated %s", tz, rep.Content, want)
		}
	}
}

// TestDeliverWaitsOutRateLimits: a 429 is waited out inside the same
// attempt (discordgo honours retry_after), and the post goes out once.
func TestDeliverWaitsOutRateLimits(t *testing.T) {
	r := newDeliveryRig(t)
	a := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
	r.enqueue(t, store.Delivery{Key: "s", Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: a.ID, StoryID: r.story})
	r.srv.Fail(discordtest.Failure{Method: "POST", Path: "/channels/" + dChannel + "/messages", Status: 429})
	r.pass(t)
	d := r.delivery(t, "s")
	if d.State != store.DeliverySent || d.Attempts != 1 || len(r.srv.Messages()) != 1 {
		t.Errorf("after a 429: %+v, %d messages; want sent once in one attempt", d, len(r.srv.Messages()))
	}
}

// TestDeliveryExactlyOnceUnderFaults plans 120 posts (by default), to a
// channel and by DM, and sends them through a Discord that fails one post
// in five at random (500) and a process that "crashes" after one post in
// ten was accepted and before it was recorded, which stops the pass as a
// dead process would. Passes (restarts) run an hour apart, so Discord has
// always forgotten the nonces, until nothing is pending: every post then
// exists exactly once, none is lost, and every row is recorded as sent
// with the message Discord holds.
func TestDeliveryExactlyOnceUnderFaults(t *testing.T) {
	ctx := context.Background()
	r := newDeliveryRig(t)
	a := r.alert(t, store.Alert{Kind: store.AlertStory, Keyword: "etf"})
	f, err := r.st.CreateFollow(ctx, store.Follow{UserID: dMember, Keyword: "etf"})
	if err != nil {
		t.Fatal(err)
	}
	// PULSEBOT_SOAK_STORIES runs the same proof on more stories (two posts
	// each), e.g. PULSEBOT_SOAK_STORIES=1000 go test -run ExactlyOnce ./bot
	stories := 60
	if v := os.Getenv("PULSEBOT_SOAK_STORIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PULSEBOT_SOAK_STORIES=%q: want a positive number", v)
		}
		stories = n
	}
	var ws []store.StoryWrite
	for i := range stories {
		ws = append(ws, store.StoryWrite{Key: int64(100 + i), Headline: fmt.Sprintf("ETF story %d", i), FirstPublished: dNow.Add(-time.Duration(i) * time.Minute), Outlets: 1, Weight: 1})
	}
	ids, err := r.st.SaveStories(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	var ds []store.Delivery
	for _, id := range ids {
		ds = append(ds,
			store.Delivery{Key: fmt.Sprintf("story:%d:%d", a.ID, id), Kind: store.DeliverStory, GuildID: dGuild, ChannelID: dChannel, AlertID: a.ID, StoryID: id},
			store.Delivery{Key: fmt.Sprintf("follow:%d:%d", f.ID, id), Kind: store.DeliverFollow, UserID: dMember, FollowID: f.ID, StoryID: id})
	}
	r.enqueue(t, ds...)

	// A fixed pseudo-random schedule of faults (no math/rand state shared
	// with anything else), so every run injects the same ones. A crash
	// stops the pass, as a dead process stops posting; the next pass is
	// the restarted process, an hour later.
	seed := uint32(2026)
	next := func() uint32 { seed = seed*1664525 + 1013904223; return seed >> 8 }
	r.srv.FailRandomly(discordtest.Failure{Method: "POST", Path: "/channels/", Status: 500}, 0.2, 2026)
	crashes := 0
	for pass := 0; pass < 40*len(ds); pass++ {
		passCtx, die := context.WithCancel(ctx)
		r.snd.afterPost = func(store.Delivery) error {
			if next()%10 == 0 {
				crashes++
				die()
				return errors.New("crash")
			}
			return nil
		}
		if err := r.snd.sendDue(passCtx, ctx); err != nil {
			t.Fatal(err)
		}
		die()
		if _, ok, err := r.st.NextDeliveryAt(ctx); err != nil || !ok {
			break
		}
		// An hour goes by, past any lease and backoff so far: Discord has
		// forgotten every nonce, so only the history can catch a repeat.
		r.clock.Add(deliveryLease + time.Hour)
		r.srv.ForgetNonces()
		r.snd = newSender(r.snd.b, r.snd.dg, r.snd.red, r.snd.log, nil)
	}
	all, err := r.st.Deliveries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	for _, m := range r.srv.Messages() {
		byID[m.ID]++
	}
	sent := 0
	for _, d := range all {
		if d.State != store.DeliverySent {
			t.Errorf("%s: %s (%s), want sent", d.Key, d.State, d.LastError)
			continue
		}
		sent++
		if byID[d.MessageID] != 1 {
			t.Errorf("%s: recorded as message %s, which Discord holds %d times", d.Key, d.MessageID, byID[d.MessageID])
		}
	}
	if msgs := len(r.srv.Messages()); sent != len(ds) || msgs != len(ds) {
		t.Errorf("%d planned, %d sent, %d messages in Discord; want all equal", len(ds), sent, msgs)
	}
	found, faults := strings.Count(r.logs.String(), `"msg":"an earlier attempt was posted"`), r.srv.RandomFailures()
	if crashes == 0 || faults == 0 || found != crashes {
		t.Errorf("%d crashes, %d found in the history, %d injected 500s: want every crash found", crashes, found, faults)
	}
	t.Logf("%d posts, %d messages in Discord: %d crashes after a post (each found in the channel's history by its retry), %d injected 500s",
		len(ds), len(r.srv.Messages()), crashes, faults)
}
