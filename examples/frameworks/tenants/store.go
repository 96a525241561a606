package main

import (
	"context"
	"slices"
	"sync"
)

// Store is where tenants' origins live: in a real service, a table read with
// SELECT origin FROM tenant_origins.
type Store interface {
	TenantOrigins(ctx context.Context) ([]string, error)
}

// memStore stands in for the database.
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
