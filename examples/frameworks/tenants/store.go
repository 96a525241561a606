package main

import (
	"context"
	"slices"
	"sync"
)

// Store is where tenants' origins live: PostgreSQL in this example
// (pgstore.go), an in-memory map in the tests that need no database.
type Store interface {
	TenantOrigins(ctx context.Context) ([]string, error)
}

// memStore is a Store in memory, for tests without a database.
type memStore struct {
	mu      sync.Mutex
	origins []string
}

func newMemStore(origins ...string) *memStore {
	return &memStore{origins: origins}
}

func (s *memStore) TenantOrigins(context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.origins), nil
}

// Set replaces the tenants' origins, as a sign-up or a cancellation does.
func (s *memStore) Set(origins ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.origins = origins
}
