package discordtest

import "encoding/json"

// The JSON shapes the fake sends: Discord's objects with every field a
// client may look at, nulls included, so that decoding them exercises the
// same paths as the real thing.

// readyPayload is READY's d; version is the API version the client asked
// for in the gateway URL.
func (s *Server) readyPayload(version string) map[string]any {
	guilds := make([]map[string]any, len(s.opts.Guilds))
	for i, g := range s.opts.Guilds {
		guilds[i] = map[string]any{"id": g.ID, "unavailable": true}
	}
	v := 9
	if version == "10" {
		v = 10
	}
	return map[string]any{
		"v":                       v,
		"user":                    s.botUserJSON(true),
		"user_settings":           map[string]any{},
		"session_type":            "normal",
		"session_id":              s.gw.session,
		"resume_gateway_url":      s.wsURL,
		"guilds":                  guilds,
		"guild_join_requests":     []any{},
		"private_channels":        []any{},
		"relationships":           []any{},
		"presences":               []any{},
		"geo_ordered_rtc_regions": []string{"rotterdam", "frankfurt"},
		"application":             map[string]any{"id": s.opts.AppID, "flags": s.opts.ApplicationFlags},
		"auth":                    map[string]any{},
		"_trace":                  trace(),
	}
}

// guildCreatePayload is a GUILD_CREATE's d: the whole guild, as Discord
// sends it once READY announced the guild unavailable.
func (s *Server) guildCreatePayload(g Guild) map[string]any {
	joined := timestamp(snowflakeTime(g.ID))
	channels := make([]map[string]any, len(g.Channels))
	for i, c := range g.Channels {
		channels[i] = s.channelJSON(s.rest.channels[c.ID], false)
	}
	roles := make([]map[string]any, len(g.Roles))
	for i, r := range g.Roles {
		roles[i] = roleJSON(r)
	}
	systemChannel := any(nil)
	if len(g.Channels) > 0 {
		systemChannel = g.Channels[0].ID
	}
	return map[string]any{
		"id": g.ID, "name": g.Name, "icon": nil, "splash": nil, "banner": nil, "description": nil,
		"owner_id": g.OwnerID, "joined_at": joined, "large": false, "unavailable": false,
		"member_count": g.MemberCount, "channels": channels, "roles": roles, "threads": []any{},
		"members": []any{map[string]any{
			"user": s.botUserJSON(false), "roles": []string{}, "joined_at": joined, "deaf": false, "mute": false,
			"flags": 0, "pending": false, "nick": nil, "avatar": nil, "premium_since": nil, "communication_disabled_until": nil,
		}},
		"voice_states": []any{}, "presences": []any{}, "emojis": []any{}, "stickers": []any{},
		"stage_instances": []any{}, "guild_scheduled_events": []any{}, "soundboard_sounds": []any{},
		"features": []string{}, "preferred_locale": "en-US", "system_channel_id": systemChannel,
		"system_channel_flags": 0, "rules_channel_id": nil, "public_updates_channel_id": nil,
		"afk_channel_id": nil, "afk_timeout": 300, "verification_level": 1, "default_message_notifications": 1,
		"explicit_content_filter": 2, "mfa_level": 0, "nsfw_level": 0, "nsfw": false, "premium_tier": 0,
		"premium_subscription_count": 0, "premium_progress_bar_enabled": false, "max_members": 500000,
		"max_video_channel_users": 25, "application_id": nil, "vanity_url_code": nil, "lazy": true,
		"region": "deprecated", "home_header": nil, "discovery_splash": nil, "hub_type": nil, "latest_onboarding_question_id": nil,
		"incidents_data": nil, "inventory_settings": nil, "safety_alerts_channel_id": nil, "max_stage_video_channel_users": 50,
		"embedded_activities": []any{}, "activity_instances": []any{}, "application_command_counts": map[string]int{},
		"version": 0,
	}
}

func roleJSON(r Role) map[string]any {
	return map[string]any{
		"id": r.ID, "name": r.Name, "permissions": r.Permissions, "position": r.Position, "color": r.Color,
		"colors": map[string]any{"primary_color": r.Color, "secondary_color": nil, "tertiary_color": nil},
		"hoist":  false, "managed": false, "mentionable": false, "icon": nil, "unicode_emoji": nil, "flags": 0,
		"description": nil,
	}
}

// userJSON is a user object as Discord sends it.
func userJSON(u User) map[string]any {
	m := map[string]any{
		"id": u.ID, "username": u.Username, "global_name": nilIfEmpty(u.GlobalName), "discriminator": "0",
		"avatar": nil, "avatar_decoration_data": nil, "public_flags": 0, "flags": 0, "banner": nil,
		"accent_color": nil, "collectibles": nil, "display_name_styles": nil, "primary_guild": nil, "clan": nil,
	}
	if u.Bot {
		m["bot"] = true
		m["discriminator"] = "0000"
	}
	return m
}

func (s *Server) botUser() User {
	return User{ID: s.opts.BotUserID, Username: s.opts.BotName, Bot: true}
}

// botUserJSON is the bot's user object; private adds the fields only the
// user itself sees (READY, GET /users/@me).
func (s *Server) botUserJSON(private bool) map[string]any {
	m := userJSON(s.botUser())
	if private {
		m["verified"] = true
		m["mfa_enabled"] = false
		m["email"] = nil
		m["locale"] = "en-US"
	}
	return m
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) userLocked(id string) User {
	if u, ok := s.rest.users[id]; ok {
		return u
	}
	if d := DefaultUser(); d.ID == id {
		return d
	}
	return User{ID: id, Username: "user" + id[max(0, len(id)-4):]}
}

// channelJSON renders a channel. In GUILD_CREATE (inGuildCreate) channels
// carry no guild_id, as Discord sends them.
func (s *Server) channelJSON(ch channelInfo, inGuildCreate bool) map[string]any {
	if ch.typ == 1 {
		return map[string]any{
			"id": ch.id, "type": 1, "last_message_id": nil, "flags": 0,
			"recipients": []any{userJSON(s.userLocked(ch.recipient))},
		}
	}
	m := map[string]any{
		"id": ch.id, "type": ch.typ, "name": ch.name, "position": ch.position, "parent_id": nilIfEmpty(ch.parentID),
		"topic": nilIfEmpty(ch.topic), "nsfw": false, "permission_overwrites": []any{}, "rate_limit_per_user": 0,
		"last_message_id": nil, "flags": 0, "icon_emoji": nil, "theme_color": nil,
	}
	if !inGuildCreate {
		m["guild_id"] = ch.guildID
	}
	return m
}

// payloadState is the message-state part of a payload (what an edit
// replaces): content, embeds, components, attachments, flags.
func payloadState(payload json.RawMessage) map[string]json.RawMessage {
	var all map[string]json.RawMessage
	json.Unmarshal(payload, &all)
	st := map[string]json.RawMessage{}
	for _, k := range []string{"content", "embeds", "components", "attachments", "flags", "poll"} {
		if v, ok := all[k]; ok {
			st[k] = v
		}
	}
	return st
}

// messageObjectLocked renders a message as Discord returns it. webhook marks
// messages sent through an interaction's webhook.
func (s *Server) messageObjectLocked(m Message, st map[string]json.RawMessage, webhook bool) map[string]any {
	var content string
	json.Unmarshal(st["content"], &content)
	var flags int
	json.Unmarshal(st["flags"], &flags)
	list := func(k string) any {
		if isNull(st[k]) {
			return []any{}
		}
		return st[k]
	}
	attachments := make([]map[string]any, len(m.Files))
	for i, f := range m.Files {
		aid := s.newID()
		attachments[i] = map[string]any{
			"id": aid, "filename": f.Name, "size": len(f.Data), "content_type": f.ContentType,
			"url":       s.srv.URL + "/attachments/" + m.ChannelID + "/" + aid + "/" + f.Name,
			"proxy_url": s.srv.URL + "/attachments/" + m.ChannelID + "/" + aid + "/" + f.Name,
		}
	}
	obj := map[string]any{
		"id": m.ID, "type": 0, "channel_id": m.ChannelID, "content": content, "author": s.botUserJSON(false),
		"embeds": embedsWithType(st["embeds"]), "components": list("components"), "attachments": attachments,
		"mentions": []any{}, "mention_roles": []any{}, "mention_everyone": false, "pinned": false, "tts": false,
		"timestamp": timestamp(snowflakeTime(m.ID)), "edited_timestamp": nil, "flags": flags,
	}
	if webhook {
		obj["webhook_id"] = s.opts.AppID
		obj["application_id"] = s.opts.AppID
	}
	return obj
}

// embedsWithType returns embeds with "type":"rich" filled in, as Discord
// echoes them.
func embedsWithType(raw json.RawMessage) []map[string]any {
	var es []map[string]any
	json.Unmarshal(raw, &es)
	out := make([]map[string]any, 0, len(es))
	for _, e := range es {
		if _, ok := e["type"]; !ok {
			e["type"] = "rich"
		}
		out = append(out, e)
	}
	return out
}

// memberJSON is a partial member as in data.resolved (no user, deaf, mute);
// the interaction's own member adds them.
func (s *Server) memberJSON(u User, roles []string, perms, guildID string) map[string]any {
	if roles == nil {
		roles = []string{}
	}
	return map[string]any{
		"roles": roles, "permissions": perms, "joined_at": timestamp(snowflakeTime(guildID)),
		"nick": nil, "avatar": nil, "banner": nil, "premium_since": nil, "pending": false,
		"flags": 0, "communication_disabled_until": nil, "unusual_dm_activity_until": nil,
	}
}
