// Package jobs runs pulsebot's background work: the ingest job that ties
// fetching (jobs/ingest/safehttp), parsing (jobs/ingest), tagging
// (jobs/tag), clustering (jobs/cluster) and the store together, and the
// scheduler that runs it on time.
//
// Dependencies flow one way: main → jobs → store, config and the pure
// cores in jobs/*. jobs never imports bot or discordgo; anything meant for
// Discord is a row in the store that bot reads.
package jobs
