package game

import (
	"fmt"

	"inferplay/render"
	"inferplay/scenes"
)

// A stop is one scene of the tour with its tab on the contents strip
// (numbered as its key). A scene that has a setup panel brings it
// (scenes.Paneled).
type stop struct {
	scene   scenes.Scene
	tab     string
	chapter string // the part of the tour it belongs to
}

// buildTour makes the tour's stops, in order. It is the one list a new
// scene joins (with its -scene name in settings.Scenes, which a test holds
// to this order): keys, tabs, panels, links and -scene follow from it.
func (g *Game) buildTour(kit *render.Kit, seed uint64) []stop {
	g.prompt = scenes.NewPrompt(kit, seed)
	g.kvcache = scenes.NewKVCache(kit, seed)
	g.contention = scenes.NewContention(kit, seed)
	g.batching = scenes.NewBatching(kit, seed)
	g.chunking = scenes.NewChunking(kit, seed)
	g.roofline = scenes.NewRoofline(kit, seed)
	g.sharing = scenes.NewSharing(kit, seed)
	g.cluster = scenes.NewCluster(kit, seed)
	g.pg = &playgroundScene{g: g}
	stops := []stop{
		// Short tabs, so that the whole tour's names fit on one line
		// beside the status; the scenes' titles say the rest.
		{g.prompt, "The prompt", "Basics"},
		{g.kvcache, "Memory", "Basics"},
		{g.contention, "Scheduling", "Scheduling"},
		{g.batching, "Batching", "Batching"},
		{g.chunking, "Chunking", "Batching"},
		{g.roofline, "Roofline", "Batching"},
		{g.sharing, "Sharing", "Sharing"},
		{g.cluster, "Many GPUs", "Scale"},
		{g.pg, "Playground", "Playground"},
	}
	for i := range min(len(stops), maxSceneKeys) {
		stops[i].tab = fmt.Sprintf("%d  %s", i+1, stops[i].tab) // numbered as its key
	}
	return stops
}
