package bot

import (
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // a digest's time zone must load wherever pulsebot runs, even without system zoneinfo

	"github.com/bwmarrin/discordgo"
)

// timezoneList is what timezone autocomplete offers: the zones most
// servers want, so a few typed letters find them. Any other name that
// time.LoadLocation knows is accepted too.
const timezoneList = `UTC
Europe/London Europe/Dublin Europe/Lisbon Europe/Paris Europe/Berlin Europe/Amsterdam Europe/Brussels
Europe/Madrid Europe/Rome Europe/Zurich Europe/Vienna Europe/Stockholm Europe/Oslo Europe/Copenhagen
Europe/Helsinki Europe/Warsaw Europe/Prague Europe/Budapest Europe/Bucharest Europe/Athens Europe/Istanbul
Europe/Kyiv Europe/Moscow
America/New_York America/Chicago America/Denver America/Phoenix America/Los_Angeles America/Anchorage
America/Toronto America/Vancouver America/Mexico_City America/Bogota America/Lima America/Santiago
America/Sao_Paulo America/Argentina/Buenos_Aires America/Caracas Pacific/Honolulu
Africa/Lagos Africa/Cairo Africa/Johannesburg Africa/Nairobi Africa/Casablanca
Asia/Dubai Asia/Tehran Asia/Karachi Asia/Kolkata Asia/Dhaka Asia/Bangkok Asia/Jakarta Asia/Ho_Chi_Minh
Asia/Singapore Asia/Kuala_Lumpur Asia/Manila Asia/Hong_Kong Asia/Shanghai Asia/Taipei Asia/Seoul Asia/Tokyo
Asia/Jerusalem Asia/Riyadh Asia/Tashkent Asia/Almaty
Australia/Perth Australia/Adelaide Australia/Brisbane Australia/Sydney Australia/Melbourne Pacific/Auckland`

func timezones() []string { return strings.Fields(timezoneList) }

// loadTimezone resolves what a person typed to a canonical IANA name and
// its location: names in the list match whatever their case; others must
// be exact. "Local" (the server's zone, meaningless to a Discord server) is
// refused.
func loadTimezone(name string) (string, *time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "local") {
		return "", nil, false
	}
	for _, tz := range timezones() {
		if strings.EqualFold(tz, name) {
			name = tz
			break
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return "", nil, false
	}
	return name, loc, true
}

// timezoneChoices suggests zones for what has been typed: those whose name
// (or city, with "_" read as a space) starts with it, then those containing
// it, and the typed name itself when it is a valid zone the list lacks.
func timezoneChoices(typed string) []*discordgo.ApplicationCommandOptionChoice {
	q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typed), " ", "_"))
	var starts, contains []string
	for _, tz := range timezones() {
		l := strings.ToLower(tz)
		city := l[strings.LastIndexByte(l, '/')+1:]
		switch {
		case strings.HasPrefix(l, q) || strings.HasPrefix(city, q):
			starts = append(starts, tz)
		case strings.Contains(l, q):
			contains = append(contains, tz)
		}
	}
	sort.Strings(contains)
	names := append(starts, contains...)
	if len(names) == 0 {
		if tz, _, ok := loadTimezone(typed); ok {
			names = []string{tz}
		}
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(names), limitChoices))
	for _, n := range names {
		if len(out) == limitChoices {
			break
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
	}
	return out
}
