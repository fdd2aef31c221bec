package standin

// Blob uploads, streamed: pkg/registry keeps every upload in memory, the
// stand-in hashes bodies as they arrive and keeps at most Config.KeepBytes.

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

type upload struct {
	key, name string
	h         hash.Hash
	n         int64
	kept      []byte
	keep      int64 // how much to keep
	dropped   bool  // more than keep: contents not kept
}

// uploadPath splits "<name>/blobs/uploads/<id>" (id "" to start one).
func uploadPath(rest string) (name, id string, ok bool) {
	i := strings.LastIndex(rest, "/blobs/uploads")
	if i <= 0 {
		return "", "", false
	}
	tail := rest[i+len("/blobs/uploads"):]
	if tail != "" && tail[0] != '/' {
		return "", "", false
	}
	return rest[:i], strings.Trim(tail, "/"), true
}

// upload serves the blob upload session API, streaming bodies.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, key, name, id string) {
	w.Header().Set("Docker-Distribution-Api-Version", "registry/2.0")
	loc := func(id string) string {
		return baseURL(r) + "/artifactory/api/docker/" + key + "/v2/" + name + "/blobs/uploads/" + id
	}
	if id == "" {
		if r.Method != http.MethodPost {
			apiError(w, http.StatusMethodNotAllowed, "UNSUPPORTED", "POST to start an upload")
			return
		}
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
		s.mu.Lock()
		keep := s.cfg.KeepBytes
		if keep == 0 {
			keep = KeepBytes
		}
		s.uploads[id] = &upload{key: key, name: name, h: sha256.New(), keep: keep}
		s.mu.Unlock()
		w.Header().Set("Location", loc(id))
		w.Header().Set("Docker-Upload-UUID", id)
		w.Header().Set("Range", "0-0")
		w.WriteHeader(http.StatusAccepted)
		return
	}
	s.mu.Lock()
	u := s.uploads[id]
	s.mu.Unlock()
	if u == nil || u.key != key || u.name != name {
		// Answered without reading the body, as a registry does.
		apiError(w, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry")
		return
	}
	switch r.Method {
	case http.MethodPatch, http.MethodPut:
		if err := u.write(r.Body); err != nil {
			apiError(w, http.StatusBadRequest, "BLOB_UPLOAD_INVALID", "reading the body: "+err.Error())
			return
		}
		if r.Method == http.MethodPatch {
			w.Header().Set("Location", loc(id))
			w.Header().Set("Docker-Upload-UUID", id)
			w.Header().Set("Range", fmt.Sprintf("0-%d", max(u.n-1, 0)))
			w.WriteHeader(http.StatusAccepted)
			return
		}
		s.finish(w, r, u, id)
	case http.MethodGet:
		w.Header().Set("Range", fmt.Sprintf("0-%d", max(u.n-1, 0)))
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		s.mu.Lock()
		delete(s.uploads, id)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		apiError(w, http.StatusMethodNotAllowed, "UNSUPPORTED", r.Method+" on an upload")
	}
}

func (u *upload) write(body io.Reader) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := body.Read(buf)
		if n > 0 {
			u.h.Write(buf[:n])
			u.n += int64(n)
			if !u.dropped && u.n <= u.keep {
				u.kept = append(u.kept, buf[:n]...)
			} else {
				u.dropped, u.kept = true, nil
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// finish completes an upload with PUT ?digest=.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, u *upload, id string) {
	want := r.URL.Query().Get("digest")
	got := "sha256:" + hex.EncodeToString(u.h.Sum(nil))
	if want != got {
		apiError(w, http.StatusBadRequest, "DIGEST_INVALID", "digest does not match: got "+got)
		return
	}
	s.mu.Lock()
	delete(s.uploads, id)
	s.mu.Unlock()
	if !u.dropped {
		h, err := v1.NewHash(got)
		if err == nil {
			if p, ok := s.blobs.(registry.BlobPutHandler); ok {
				err = p.Put(r.Context(), u.key+"/"+u.name, h, io.NopCloser(strings.NewReader(string(u.kept))))
			}
		}
		if err != nil {
			apiError(w, http.StatusInternalServerError, "UNKNOWN", err.Error())
			return
		}
	}
	w.Header().Set("Location", baseURL(r)+"/artifactory/api/docker/"+u.key+"/v2/"+u.name+"/blobs/"+got)
	w.Header().Set("Docker-Content-Digest", got)
	w.WriteHeader(http.StatusCreated)
}
