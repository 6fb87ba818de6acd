package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// commandScope checks the application and guild of a commands route and
// returns the storage key ("" for global commands).
func (c *call) commandScope() (string, bool) {
	s := c.s
	if c.params["application_id"] != s.opts.AppID {
		c.fail(http.StatusForbidden, 50001, "Missing Access")
		return "", false
	}
	g, ok := c.params["guild_id"]
	if !ok {
		return "", true
	}
	for _, cg := range s.opts.Guilds {
		if cg.ID == g {
			return g, true
		}
	}
	c.fail(http.StatusForbidden, 50001, "Missing Access")
	return "", false
}

func (c *call) getCommands() {
	scope, ok := c.commandScope()
	if !ok {
		return
	}
	c.s.mu.Lock()
	cmds := append([]map[string]any{}, c.s.rest.commands[scope]...)
	c.s.mu.Unlock()
	c.json(http.StatusOK, cmds)
}

// putCommands is the bulk overwrite: the body replaces every command of the
// scope. A command keeps its id when one of the same name and type existed,
// as on Discord.
func (c *call) putCommands() {
	scope, ok := c.commandScope()
	if !ok {
		return
	}
	if vs := checkCommands(c.payload); len(vs) > 0 {
		c.reject(vs)
		return
	}
	var in []map[string]any
	if err := json.Unmarshal(c.payload, &in); err != nil {
		c.reject([]violation{{code: "BASE_TYPE_ARRAY", message: "Must be an array.", detail: err.Error()}})
		return
	}
	s := c.s
	s.mu.Lock()
	old := s.rest.commands[scope]
	out := make([]map[string]any, len(in))
	for i, cmd := range in {
		out[i] = s.storeCommandLocked(cmd, old, scope)
	}
	s.rest.commands[scope] = out
	s.rest.overwrite++
	s.notifyLocked()
	s.mu.Unlock()
	c.json(http.StatusOK, out)
}

// postCommand creates or updates one command (201 when new, 200 when a
// command of that name existed).
func (c *call) postCommand() {
	scope, ok := c.commandScope()
	if !ok {
		return
	}
	if vs := checkCommands(json.RawMessage("[" + string(c.payload) + "]")); len(vs) > 0 {
		c.reject(vs)
		return
	}
	var cmd map[string]any
	if err := json.Unmarshal(c.payload, &cmd); err != nil {
		c.reject([]violation{{code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType"}})
		return
	}
	s := c.s
	s.mu.Lock()
	old := s.rest.commands[scope]
	stored := s.storeCommandLocked(cmd, old, scope)
	status := http.StatusCreated
	var next []map[string]any
	for _, o := range old {
		if o["id"] == stored["id"] {
			status = http.StatusOK
			continue
		}
		next = append(next, o)
	}
	s.rest.commands[scope] = append(next, stored)
	s.notifyLocked()
	s.mu.Unlock()
	c.json(status, stored)
}

// storeCommandLocked completes a command as Discord returns it. s.mu must be
// held.
func (s *Server) storeCommandLocked(cmd map[string]any, old []map[string]any, scope string) map[string]any {
	out := map[string]any{}
	for k, v := range cmd {
		out[k] = v
	}
	if opts, ok := out["options"].([]any); ok {
		out["options"] = dropNulls(opts)
	} else {
		delete(out, "options")
	}
	// Discord answers with the permission bit set as a string, whichever
	// way it was sent.
	if p, ok := out["default_member_permissions"].(float64); ok {
		out["default_member_permissions"] = strconv.FormatInt(int64(p), 10)
	}
	typ := 1.0
	if t, ok := cmd["type"].(float64); ok && t != 0 {
		typ = t
	}
	out["type"] = int(typ)
	id := ""
	for _, o := range old {
		if o["name"] == cmd["name"] && o["type"] == int(typ) {
			id, _ = o["id"].(string)
		}
	}
	if id == "" {
		id = s.newID()
	}
	out["id"] = id
	out["application_id"] = s.opts.AppID
	out["version"] = s.newID()
	defaults := map[string]any{
		"description": "", "default_member_permissions": nil, "nsfw": false,
		"integration_types": []int{0}, "contexts": nil,
		"name_localizations": nil, "description_localizations": nil,
	}
	if scope == "" {
		defaults["dm_permission"] = true
	} else {
		out["guild_id"] = scope
	}
	for k, v := range defaults {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

// dropNulls removes null members from command options, recursively:
// clients like discordgo send "channel_types": null and the like, and
// Discord answers with those keys absent.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}

// CommandOverwrites counts successful bulk overwrites (PUT …/commands),
// global and guild together.
func (s *Server) CommandOverwrites() int { return s.counter(func() int { return s.rest.overwrite }) }

// Commands returns the stored commands of a scope: "" for global commands,
// else a guild id.
func (s *Server) Commands(guildID string) ([]*discordgo.ApplicationCommand, error) {
	s.mu.Lock()
	b, err := json.Marshal(s.rest.commands[guildID])
	s.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("discordtest: encode commands: %w", err)
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(b, &cmds); err != nil {
		return nil, fmt.Errorf("discordtest: decode commands: %w", err)
	}
	return cmds, nil
}
