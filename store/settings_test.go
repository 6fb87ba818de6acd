package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

func level(f float64) *float64 { return &f }

func TestCreateAlertValidates(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	base := store.Alert{GuildID: "g1", ChannelID: "c1", CreatedBy: "u1"}
	with := func(f func(a *store.Alert)) store.Alert {
		a := base
		f(&a)
		return a
	}
	for _, tc := range []struct {
		name string
		a    store.Alert
		ok   bool
	}{
		{"keyword story alert", with(func(a *store.Alert) { a.Kind, a.Keyword = store.AlertStory, "etf" }), true},
		{"outlets-only story alert", with(func(a *store.Alert) { a.Kind, a.MinOutlets = store.AlertStory, 3 }), true},
		{"story alert without filter", with(func(a *store.Alert) { a.Kind = store.AlertStory }), false},
		{"min_outlets 1", with(func(a *store.Alert) { a.Kind, a.MinOutlets = store.AlertStory, 1 }), false},
		{"story alert with a level", with(func(a *store.Alert) { a.Kind, a.Coin, a.Above = store.AlertStory, "BTC", level(3) }), false},
		{"pulse above", with(func(a *store.Alert) { a.Kind, a.Above = store.AlertPulse, level(7) }), true},
		{"pulse both", with(func(a *store.Alert) { a.Kind, a.Above, a.Below = store.AlertPulse, level(7), level(3) }), true},
		{"pulse below 0 is allowed", with(func(a *store.Alert) { a.Kind, a.Below = store.AlertPulse, level(0) }), true},
		{"pulse without level", with(func(a *store.Alert) { a.Kind = store.AlertPulse }), false},
		{"pulse above 10", with(func(a *store.Alert) { a.Kind, a.Above = store.AlertPulse, level(10.5) }), false},
		{"pulse below >= above", with(func(a *store.Alert) { a.Kind, a.Above, a.Below = store.AlertPulse, level(4), level(6) }), false},
		{"pulse with keyword", with(func(a *store.Alert) { a.Kind, a.Above, a.Keyword = store.AlertPulse, level(4), "x" }), false},
		{"no channel", with(func(a *store.Alert) { a.Kind, a.Keyword, a.ChannelID = store.AlertStory, "x", "" }), false},
		{"unknown kind", with(func(a *store.Alert) { a.Kind, a.Keyword = "tweet", "x" }), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.CreateAlert(ctx, tc.a)
			if tc.ok {
				if err != nil || got.ID == 0 {
					t.Fatalf("CreateAlert = %+v, %v; want saved", got, err)
				}
				return
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("CreateAlert err = %v; want ErrInvalid", err)
			}
		})
	}
}

func TestAlertsAreScopedToTheirServer(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	clock := storetest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	s.Now = clock.Now
	mine, err := s.CreateAlert(ctx, store.Alert{GuildID: "g1", ChannelID: "c1", CreatedBy: "u1", Kind: store.AlertStory, Keyword: "spot etf", Coin: "BTC"})
	if err != nil {
		t.Fatal(err)
	}
	pulse, err := s.CreateAlert(ctx, store.Alert{GuildID: "g1", ChannelID: "c1", CreatedBy: "u1", Kind: store.AlertPulse, Above: level(7.5)})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.CreateAlert(ctx, store.Alert{GuildID: "g2", ChannelID: "c9", CreatedBy: "u9", Kind: store.AlertStory, Topic: "etf"})
	if err != nil {
		t.Fatal(err)
	}
	if pulse.ID != mine.ID+1 || theirs.ID != pulse.ID+1 {
		t.Errorf("ids %d %d %d: want one id space", mine.ID, pulse.ID, theirs.ID)
	}
	got, err := s.Alerts(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Keyword != "spot etf" || got[0].Coin != "BTC" || got[1].Above == nil || *got[1].Above != 7.5 || got[1].Below != nil {
		t.Errorf("Alerts(g1) = %+v", got)
	}
	if !got[0].CreatedAt.Equal(clock.Now()) {
		t.Errorf("CreatedAt = %v, want %v", got[0].CreatedAt, clock.Now())
	}
	if _, err := s.Alert(ctx, theirs.ID, "g1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Alert(other server's) err = %v, want ErrNotFound", err)
	}
	if _, err := s.RemoveAlert(ctx, theirs.ID, "g1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RemoveAlert(other server's) err = %v, want ErrNotFound", err)
	}
	if _, err := s.Alert(ctx, theirs.ID, "g2"); err != nil {
		t.Errorf("the other server's alert is gone: %v", err)
	}
	removed, err := s.RemoveAlert(ctx, mine.ID, "g1")
	if err != nil || removed.Keyword != "spot etf" {
		t.Errorf("RemoveAlert = %+v, %v", removed, err)
	}
	if _, err := s.RemoveAlert(ctx, mine.ID, "g1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second RemoveAlert err = %v, want ErrNotFound", err)
	}
	if err := s.DisableAlert(ctx, pulse.ID, "Missing Access to #alerts"); err != nil {
		t.Fatal(err)
	}
	a, err := s.Alert(ctx, pulse.ID, "g1")
	if err != nil || a.DisabledReason != "Missing Access to #alerts" || a.DisabledAt.IsZero() {
		t.Errorf("disabled alert = %+v, %v", a, err)
	}
	if err := s.DisableAlert(ctx, 999, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DisableAlert(missing) err = %v", err)
	}
}

func TestSettingCaps(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	for i := range store.MaxAlertsPerGuild {
		if _, err := s.CreateAlert(ctx, store.Alert{GuildID: "g1", ChannelID: "c1", CreatedBy: "u1", Kind: store.AlertStory, Keyword: fmt.Sprint("k", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateAlert(ctx, store.Alert{GuildID: "g1", ChannelID: "c1", CreatedBy: "u1", Kind: store.AlertPulse, Above: level(8)}); !errors.Is(err, store.ErrLimit) {
		t.Errorf("alert %d err = %v, want ErrLimit", store.MaxAlertsPerGuild+1, err)
	}
	if _, err := s.CreateAlert(ctx, store.Alert{GuildID: "g2", ChannelID: "c1", CreatedBy: "u1", Kind: store.AlertPulse, Above: level(8)}); err != nil {
		t.Errorf("another server is not capped by the first: %v", err)
	}
	for i := range store.MaxFollowsPerUser {
		if _, err := s.CreateFollow(ctx, store.Follow{UserID: "u1", Keyword: fmt.Sprint("k", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateFollow(ctx, store.Follow{UserID: "u1", Coin: "BTC"}); !errors.Is(err, store.ErrLimit) {
		t.Errorf("follow %d err = %v, want ErrLimit", store.MaxFollowsPerUser+1, err)
	}
}

func TestFollows(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := s.CreateFollow(ctx, store.Follow{UserID: "u1"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("follow without filter err = %v, want ErrInvalid", err)
	}
	a, err := s.CreateFollow(ctx, store.Follow{UserID: "u1", Keyword: "halving", Coin: "BTC"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateFollow(ctx, store.Follow{UserID: "u2", Coin: "ETH"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Follows(ctx, "u1")
	if err != nil || len(got) != 1 || got[0] != a {
		t.Errorf("Follows(u1) = %+v, %v; want [%+v]", got, err, a)
	}
	if _, err := s.RemoveFollow(ctx, b.ID, "u1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing someone else's follow err = %v, want ErrNotFound", err)
	}
	if err := s.DisableFollow(ctx, b.ID, "DMs closed"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Follows(ctx, "u2"); len(got) != 1 || got[0].DisabledReason != "DMs closed" {
		t.Errorf("Follows(u2) = %+v", got)
	}
	if f, err := s.RemoveFollow(ctx, a.ID, "u1"); err != nil || f.Keyword != "halving" {
		t.Errorf("RemoveFollow = %+v, %v", f, err)
	}
	if got, _ := s.Follows(ctx, "u1"); len(got) != 0 {
		t.Errorf("after remove Follows(u1) = %+v", got)
	}
}

func TestDigestUpsertAndOff(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := s.Digest(ctx, "g1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Digest before set err = %v", err)
	}
	for _, bad := range []string{"9:00", "24:00", "12:60", "1200", "ab:cd"} {
		if _, err := s.SetDigest(ctx, store.Digest{GuildID: "g1", ChannelID: "c1", Time: bad, Timezone: "UTC", CreatedBy: "u1"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SetDigest time %q err = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := s.SetDigest(ctx, store.Digest{GuildID: "g1", ChannelID: "c1", Time: "09:00", Timezone: "Europe/Berlin", RoleID: "r1", CreatedBy: "u1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableDigest(ctx, "g1", "Missing Access"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Digest(ctx, "g1"); d.DisabledReason != "Missing Access" {
		t.Errorf("disabled digest = %+v", d)
	}
	if _, err := s.SetDigest(ctx, store.Digest{GuildID: "g1", ChannelID: "c2", Time: "23:59", Timezone: "UTC", Silent: true, CreatedBy: "u2"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.Digest(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Digest{GuildID: "g1", ChannelID: "c2", Time: "23:59", Timezone: "UTC", Silent: true, CreatedBy: "u2", UpdatedAt: d.UpdatedAt}
	if d != want {
		t.Errorf("after second set Digest = %+v, want %+v (one per server, disabled state cleared)", d, want)
	}
	if _, err := s.RemoveDigest(ctx, "g1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveDigest(ctx, "g1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second RemoveDigest err = %v, want ErrNotFound", err)
	}
}
