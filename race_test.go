//go:build race

package cors

// raceEnabled: the race detector makes sync.Pool drop values at random, so
// reuse, and with it the allocation budget, cannot be measured.
const raceEnabled = true
