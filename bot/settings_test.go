package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/store"
)

func TestAlerts(t *testing.T) {
	ctx := context.Background()
	f := newHandlerFixture(t)
	rep := f.do(t, `/alerts add keyword:"  spot   etf " coin:btc topic:etf min_outlets:3 channel:#alerts`)
	if !rep.Ephemeral || !strings.Contains(rep.Content, "Saved alert **#1**: stories with keyword “spot etf” · coin BTC · topic etf · reported by 3+ outlets → <#900000000000000011>") ||
		!strings.Contains(rep.Content, storyAlertNote) {
		t.Errorf("/alerts add = %+v", rep)
	}
	rep = f.do(t, "/alerts pulse above:7.5 below:2 coin:ETH")
	if !strings.Contains(rep.Content, "Saved alert **#2**: when the ETH pulse rises above 7.5 or falls below 2.0 → <#900000000000000010>") || !strings.Contains(rep.Content, pulseAlertNote) {
		t.Errorf("/alerts pulse = %+v", rep)
	}
	alerts, err := f.st.Alerts(ctx, f.srv.guildID)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 2 {
		t.Fatalf("alerts = %+v", alerts)
	}
	a, p := alerts[0], alerts[1]
	if a.Keyword != "spot etf" || a.Coin != "BTC" || a.Topic != "etf" || a.MinOutlets != 3 || a.ChannelID != "900000000000000011" || a.CreatedBy != f.srv.userID || a.Kind != store.AlertStory {
		t.Errorf("story alert row = %+v", a)
	}
	if p.Kind != store.AlertPulse || *p.Above != 7.5 || *p.Below != 2 || p.Coin != "ETH" || p.ChannelID != f.srv.channelID {
		t.Errorf("pulse alert row = %+v", p)
	}

	if err := f.st.DisableAlert(ctx, p.ID, "Missing Access to the channel"); err != nil {
		t.Fatal(err)
	}
	rep = f.do(t, "/alerts list")
	if len(rep.Embeds) != 1 || !rep.Ephemeral {
		t.Fatalf("/alerts list = %+v", rep)
	}
	d := rep.Embeds[0].Description
	for _, want := range []string{"**#1** stories with keyword “spot etf”", "**#2** when the ETH pulse", "⚠ disabled <t:", ": Missing Access to the channel"} {
		if !strings.Contains(d, want) {
			t.Errorf("/alerts list lacks %q:\n%s", want, d)
		}
	}

	// Another server's alert: same id space, not removable from here.
	other, err := f.st.CreateAlert(ctx, store.Alert{GuildID: "777", ChannelID: "778", CreatedBy: "779", Kind: store.AlertStory, Keyword: "theirs"})
	if err != nil {
		t.Fatal(err)
	}
	userErr(t, f.do(t, fmt.Sprintf("/alerts remove id:%d", other.ID)), fmt.Sprintf("No alert #%d in this server", other.ID))
	if _, err := f.st.Alert(ctx, other.ID, "777"); err != nil {
		t.Errorf("the other server's alert is gone: %v", err)
	}
	rep = f.do(t, "/alerts remove id:1")
	if !strings.Contains(rep.Content, "Removed alert **#1**: stories with keyword “spot etf”") {
		t.Errorf("/alerts remove = %+v", rep)
	}
	if n := count(t, f.st, "alerts"); n != 2 {
		t.Errorf("%d alerts left, want 2", n)
	}
	userErr(t, f.do(t, "/alerts remove id:1"), "No alert #1 in this server")
	f.do(t, "/alerts remove id:2")
	if rep := f.do(t, "/alerts list"); !strings.Contains(rep.Content, "This server has no alerts") {
		t.Errorf("empty /alerts list = %+v", rep)
	}
}

func TestAlertsBadInput(t *testing.T) {
	f := newHandlerFixture(t)
	for _, tc := range []struct{ line, want string }{
		{"/alerts add", "Give at least one filter: keyword, coin, topic or min_outlets."},
		{"/alerts add channel:#news", "Give at least one filter"},
		{"/alerts add min_outlets:1", "min_outlets must be at least 2"},
		{"/alerts add min_outlets:-4", "min_outlets must be at least 2"},
		{"/alerts add keyword:x", "A keyword needs at least 2 characters."},
		{`/alerts add keyword:"   "`, "A keyword needs at least 2 characters."},
		{"/alerts add keyword:" + strings.Repeat("k", 101), "A keyword can have at most 100 characters (this one has 101)."},
		{"/alerts add coin:dogecoinz", "I don't track a coin called “dogecoinz”. Did you mean DOGE (Dogecoin)"},
		{"/alerts add topic:memes", "“memes” is not a topic"},
		{"/alerts pulse", "Give a level: above, below or both (0 to 10)."},
		{"/alerts pulse above:11", "above is a pulse level from 0 to 10 (got 11)."},
		{"/alerts pulse below:-0.5", "below is a pulse level from 0 to 10 (got -0.5)."},
		{"/alerts pulse above:4 below:6", "below (6.0) must be lower than above (4.0)"},
		{"/alerts pulse above:4 coin:nope", "I don't track a coin called “nope”"},
		{"/alerts remove id:0", "Give the alert's number: /alerts list lists them."},
	} {
		t.Run(tc.line, func(t *testing.T) { userErr(t, f.do(t, tc.line), tc.want) })
	}
	if n := count(t, f.st, "alerts"); n != 0 {
		t.Errorf("bad input saved %d alerts", n)
	}
}

func TestAlertCap(t *testing.T) {
	f := newHandlerFixture(t)
	for i := range store.MaxAlertsPerGuild {
		if _, err := f.st.CreateAlert(context.Background(), store.Alert{GuildID: f.srv.guildID, ChannelID: "1", CreatedBy: "1", Kind: store.AlertStory, Keyword: fmt.Sprint("kw", i)}); err != nil {
			t.Fatal(err)
		}
	}
	userErr(t, f.do(t, "/alerts pulse above:8"), "This server already has 50 alerts, the most it can have. Remove one with /alerts remove first.")
}

func TestServerOnlyCommandsInDMs(t *testing.T) {
	f := newHandlerFixture(t)
	f.srv.dm = true
	for _, line := range []string{"/alerts add keyword:etf", "/alerts pulse above:7", "/alerts list", "/alerts remove id:1", "/digest set channel:1 time:08:00", "/digest off", "/digest preview"} {
		if strings.Contains(line, "channel:1") {
			// The shell refuses channels in DMs; Discord would not offer one either.
			f.srv.dm = false
			in := f.interaction(t, "/digest set channel:#news time:08:00")
			f.srv.dm = true
			in.GuildID, in.Permissions = "", 0
			userErr(t, f.bot.Handle(context.Background(), in), "/digest set works in a server, not in DMs.")
			continue
		}
		cmd := strings.Join(strings.Fields(line)[:2], " ")
		userErr(t, f.do(t, line), cmd+" works in a server, not in DMs.")
	}
	if n := count(t, f.st, "alerts") + count(t, f.st, "digests"); n != 0 {
		t.Errorf("DMs saved %d rows", n)
	}
	// The personal commands work in DMs.
	if rep := f.do(t, "/follow coin:BTC"); !strings.Contains(rep.Content, "Following **#1**") {
		t.Errorf("/follow in a DM = %+v", rep)
	}
	if rep := f.do(t, "/status"); len(rep.Embeds) != 1 || !strings.Contains(embedText(rep.Embeds[0]), "Your follows: 1 follow saved") {
		t.Errorf("/status in a DM = %+v", rep)
	}
}

func TestFollows(t *testing.T) {
	ctx := context.Background()
	f := newHandlerFixture(t)
	rep := f.do(t, `/follow keyword:"halving date" coin:BTC`)
	if !strings.Contains(rep.Content, "Following **#1**: stories with keyword “halving date” · coin BTC, by DM.") || !strings.Contains(rep.Content, followNote) || !rep.Ephemeral {
		t.Errorf("/follow = %+v", rep)
	}
	userErr(t, f.do(t, "/follow"), "Give a keyword, a coin or both.")
	userErr(t, f.do(t, "/follow coin:nope"), "I don't track a coin called “nope”")
	theirs, err := f.st.CreateFollow(ctx, store.Follow{UserID: "someone-else", Coin: "ETH"})
	if err != nil {
		t.Fatal(err)
	}
	userErr(t, f.do(t, fmt.Sprintf("/unfollow id:%d", theirs.ID)), fmt.Sprintf("You have no follow #%d. /following lists yours.", theirs.ID))
	if err := f.st.DisableFollow(ctx, 1, "Cannot send messages to this user"); err != nil {
		t.Fatal(err)
	}
	rep = f.do(t, "/following")
	if len(rep.Embeds) != 1 || !strings.Contains(rep.Embeds[0].Description, "**#1** stories with keyword “halving date” · coin BTC\n  ⚠ disabled") ||
		strings.Contains(rep.Embeds[0].Description, "ETH") {
		t.Errorf("/following = %+v", rep)
	}
	if rep := f.do(t, "/unfollow id:1"); !strings.Contains(rep.Content, "Stopped following **#1**") {
		t.Errorf("/unfollow = %+v", rep)
	}
	if rep := f.do(t, "/following"); !strings.Contains(rep.Content, "You follow nothing yet") {
		t.Errorf("empty /following = %+v", rep)
	}
	if n := count(t, f.st, "follows"); n != 1 {
		t.Errorf("%d follows left, want only the other person's", n)
	}
	for i := range store.MaxFollowsPerUser {
		f.do(t, fmt.Sprintf("/follow keyword:kw%d", i))
	}
	userErr(t, f.do(t, "/follow coin:BTC"), "You already have 20 follows")
}

func TestDigest(t *testing.T) {
	ctx := context.Background()
	f := newHandlerFixture(t)
	f.seedWeek(t)
	rep := f.do(t, "/digest set channel:#news time:8:30 timezone:europe/berlin role:@Traders silent:true")
	// 08:30 in Berlin (UTC+1 in November) on the 27th is 07:30 UTC.
	next := time.Date(2026, 11, 27, 7, 30, 0, 0, time.UTC).Unix()
	want := fmt.Sprintf("Saved: the daily digest goes to <#900000000000000012> at 08:30 Europe/Berlin (next <t:%d:f>, <t:%d:R>), mentioning <@&900000000000000020>, silently.", next, next)
	if !rep.Ephemeral || !strings.Contains(rep.Content, want) {
		t.Errorf("/digest set = %q\nwant %q", rep.Content, want)
	}
	d, err := f.st.Digest(ctx, f.srv.guildID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ChannelID != "900000000000000012" || d.Time != "08:30" || d.Timezone != "Europe/Berlin" || d.RoleID != "900000000000000020" || !d.Silent {
		t.Errorf("digest row = %+v", d)
	}
	// One per server: a second set replaces it; timezone defaults to UTC.
	f.do(t, "/digest set channel:#alerts time:23:59")
	if d, _ := f.st.Digest(ctx, f.srv.guildID); d.ChannelID != "900000000000000011" || d.Timezone != "UTC" || d.RoleID != "" || d.Silent || count(t, f.st, "digests") != 1 {
		t.Errorf("second digest set = %+v", d)
	}
	for _, tc := range []struct{ line, want string }{
		{"/digest set channel:#news time:25:00", "“25:00” is not a time of day: use HH:MM, 24-hour"},
		{"/digest set channel:#news time:8", "“8” is not a time of day"},
		{"/digest set channel:#news time:08:5", "“08:5” is not a time of day"},
		{"/digest set channel:#news time:08:00 timezone:Mars/Olympus", "“Mars/Olympus” is not a time zone I know"},
		{"/digest set channel:#news time:08:00 timezone:Local", "“Local” is not a time zone I know"},
		{"/digest set channel:#news time:08:00 role:@everyone", "Pick a role other than @\u200beveryone"},
	} {
		t.Run(tc.line, func(t *testing.T) { userErr(t, f.do(t, tc.line), tc.want) })
	}
	if d, _ := f.st.Digest(ctx, f.srv.guildID); d.Time != "23:59" {
		t.Errorf("bad input changed the digest: %+v", d)
	}
	// A zone outside the curated list, spelled exactly, is fine.
	if rep := f.do(t, "/digest set channel:#news time:06:00 timezone:America/Halifax"); !strings.Contains(rep.Content, "06:00 America/Halifax") {
		t.Errorf("America/Halifax = %+v", rep)
	}

	// Preview: anyone may look, the role is allowed, nobody else sees it.
	f.do(t, "/digest set channel:#news time:08:30 role:@Traders")
	f.srv.perms = discordgo.PermissionSendMessages
	rep = f.do(t, "/digest preview")
	if !rep.Ephemeral || len(rep.MentionRoles) != 1 || rep.MentionRoles[0] != "900000000000000020" || !strings.Contains(rep.Content, "<@&900000000000000020> Your daily crypto news digest") {
		t.Errorf("/digest preview = %+v", rep)
	}
	if len(rep.Embeds) != 2 || !strings.HasPrefix(rep.Embeds[0].Title, "Market Pulse") || !strings.HasPrefix(rep.Embeds[1].Title, "Top stories") {
		t.Errorf("/digest preview embeds = %+v", rep.Embeds)
	}
	js := responseJSON(t, rep)
	if !strings.Contains(js, `"allowed_mentions":{"parse":[],"roles":["900000000000000020"]`) {
		t.Errorf("preview allowed_mentions: %s", js)
	}
	f.srv.perms = discordgo.PermissionManageGuild
	if rep := f.do(t, "/digest off"); !strings.Contains(rep.Content, "Digest off: nothing more goes to <#900000000000000012>.") {
		t.Errorf("/digest off = %+v", rep)
	}
	if n := count(t, f.st, "digests"); n != 0 {
		t.Errorf("%d digests after off", n)
	}
	userErr(t, f.do(t, "/digest off"), "This server has no digest to turn off.")
	rep = f.do(t, "/digest preview")
	if !strings.Contains(rep.Content, "this server has no digest yet") || len(rep.MentionRoles) != 0 {
		t.Errorf("preview without a digest = %+v", rep)
	}
}

func TestNextDigest(t *testing.T) {
	for _, tc := range []struct {
		now        time.Time
		at, tz     string
		want       time.Time
		wantReason string
	}{
		{time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC), "08:00", "UTC", time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC), "later today"},
		{time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC), "08:00", "UTC", time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), "exactly now: tomorrow"},
		{time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC), "08:00", "Asia/Tokyo", time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC), "08:00 in Tokyo is 23:00 UTC the day before"},
		// Europe/Berlin springs forward at 02:00 on 2026-03-29: 02:30 does not exist.
		{time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), "02:30", "Europe/Berlin", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), "DST gap"},
	} {
		got, ok := nextDigest(store.Digest{Time: tc.at, Timezone: tc.tz}, tc.now)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("%s: nextDigest(%s %s at %v) = %v, want %v", tc.wantReason, tc.at, tc.tz, tc.now, got.UTC(), tc.want)
		}
	}
}

func TestTimezoneListLoads(t *testing.T) {
	seen := map[string]bool{}
	for _, tz := range timezones() {
		if seen[tz] {
			t.Errorf("%s listed twice", tz)
		}
		seen[tz] = true
		name, loc, ok := loadTimezone(strings.ToUpper(tz))
		if !ok || name != tz || loc == nil {
			t.Errorf("loadTimezone(%q) = %q, %v", strings.ToUpper(tz), name, ok)
		}
	}
	for _, bad := range []string{"", "Local", "local", "Mars/Olympus", "Europe/Berlin; DROP", "../../etc/passwd"} {
		if _, _, ok := loadTimezone(bad); ok {
			t.Errorf("loadTimezone(%q) accepted", bad)
		}
	}
}
