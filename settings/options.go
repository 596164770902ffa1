package settings

import "inferplay/sim"

// Options are what the command line (or the web address) sets.
type Options struct {
	Config     sim.Config
	Speed      float64 // ticks per frame
	Ticks      int     // ticks to run before the first frame
	Frames     int     // frames of the scene to play before the first one shown
	Screenshot string  // write the first frame to this PNG and quit
	Light      bool    // start in the light theme
	Presenter  bool    // start in presenter mode
	Curves     bool    // playground: open with its setup's curves shown
	// Duel is -duel's "A,B": the playground split into two halves, the
	// same traffic under two settings ("" for one run).
	Duel string
	// Cluster is the playground's cluster mode (its zero value: one GPU).
	Cluster Cluster
	Scene   string // the scene to open (a -scene value)
	Beat    int    // the beat to open it at, from 0
	// Policy is the scheduler named explicitly ("" if none): the contention
	// scene runs it, as the playground does.
	Policy string
	// OnState, when set, hears what is on screen after the first frame and
	// whenever it changes: the web build mirrors it in the address bar.
	OnState func(State)
	// LinkBase is what a shared link starts with: the page's address on
	// the web; on the desktop empty, and the link is shown as flags too.
	LinkBase string
	// Width and Height are the expected window size, for laying out the
	// scene before the first frame tells the real one.
	Width, Height int
}

// State is what is on screen, as the web page and its tests see it.
type State struct {
	Scene     string `json:"scene"`
	Beat      int    `json:"beat"` // from 1, as in links
	Policy    string `json:"policy"`
	Seed      uint64 `json:"seed"`
	Presenter bool   `json:"presenter"`
	Link      string `json:"link"`   // the query that opens this view
	Status    string `json:"status"` // the seed and policy line on screen
	Frames    int    `json:"frames"`
}

// Window is the window size asked for.
type Window struct{ W, H int }
