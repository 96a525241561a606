package cors

import "sync"

// Every header value the middleware sets is a one-element array of its own,
// so that a handler that appends to one reaches no other header. Allocating
// them per response would make each request cost an allocation, and with it
// garbage collection, so responses reuse them under one rule: an array is
// written once, when it is made, and never again. A header map that got
// one, which net/http, outer middleware or a cache may read long after the
// response, always reads the value it was given. A response that needs
// another value gets a new array, which later responses reuse; so does one
// whose array someone else rewrote in place, as it no longer holds the value.
type valueSlots struct{ vals [slotCount]*[1]string }

// slotIndex names the slot of one header.
type slotIndex uint8

const (
	slotVary slotIndex = iota
	slotAllowOrigin
	slotCredentials
	slotExposed
	slotMethods
	slotHeaders
	slotMaxAge
	slotCount
)

// value returns a one-element slice holding v, for header i: the array
// already in slot i when it holds v, a new one otherwise.
func (s *valueSlots) value(i slotIndex, v string) []string {
	if a := s.vals[i]; a != nil && a[0] == v {
		return a[:]
	}
	a := &[1]string{v}
	s.vals[i] = a
	return a[:]
}

// pool holds values of one type for reuse; get returns a zero one when the
// pool is empty.
type pool[T any] struct{ p sync.Pool }

func (p *pool[T]) get() *T {
	if v, ok := p.p.Get().(*T); ok {
		return v
	}
	return new(T)
}

func (p *pool[T]) put(v *T) { p.p.Put(v) }

// Slots go back to their pool as soon as their values are in the header
// map, as those are never written again. Preflights and [Middleware.Apply]
// each have their own, so that each finds the values it had before.
var preflightSlots, applySlots pool[valueSlots]
