// Package kubecheck checks render's Kubernetes outputs for its tests: it
// decodes them strictly into the upstream API types (k8s.io/api's Ingress,
// sigs.k8s.io/gateway-api's Gateway and HTTPRoute), validates the Gateway
// API objects against the schema of the CRDs the cluster installs, and
// routes requests through the objects the way ingress-nginx and the Gateway
// API specification say, so the routing can be compared with the real
// servers' end-to-end tests.
//
// Only tests import it: the frontdoor binary never links the Kubernetes
// types.
package kubecheck

import (
	"bytes"
	"fmt"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"
)

// Manifests are the objects of one output, in order.
type Manifests struct {
	Ingresses []networkingv1.Ingress
	Gateways  []gwv1.Gateway
	Routes    []gwv1.HTTPRoute
	// Docs are the documents as generic JSON values, for schema checks.
	Docs []Doc
}

// Doc is one YAML document: its kind and its value as JSON decodes it.
type Doc struct {
	Kind  string
	Value any
}

// Decode splits a multi-document YAML output and decodes every document
// strictly (unknown fields and duplicate keys are errors) into its API
// type. Only Ingress, Gateway and HTTPRoute are expected; every object must
// have a valid name and namespace.
func Decode(data []byte) (*Manifests, error) {
	m := &Manifests{}
	for i, doc := range splitDocuments(data) {
		var probe struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &probe); err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		var generic any
		if err := yaml.UnmarshalStrict(doc, &generic); err != nil {
			return nil, fmt.Errorf("document %d (%s): %w", i+1, probe.Kind, err)
		}
		m.Docs = append(m.Docs, Doc{Kind: probe.Kind, Value: generic})
		var meta struct {
			Name, Namespace string
		}
		var err error
		switch probe.APIVersion + " " + probe.Kind {
		case "networking.k8s.io/v1 Ingress":
			var o networkingv1.Ingress
			err = yaml.UnmarshalStrict(doc, &o)
			m.Ingresses = append(m.Ingresses, o)
			meta.Name, meta.Namespace = o.Name, o.Namespace
		case "gateway.networking.k8s.io/v1 Gateway":
			var o gwv1.Gateway
			err = yaml.UnmarshalStrict(doc, &o)
			m.Gateways = append(m.Gateways, o)
			meta.Name, meta.Namespace = o.Name, o.Namespace
		case "gateway.networking.k8s.io/v1 HTTPRoute":
			var o gwv1.HTTPRoute
			err = yaml.UnmarshalStrict(doc, &o)
			m.Routes = append(m.Routes, o)
			meta.Name, meta.Namespace = o.Name, o.Namespace
		default:
			return nil, fmt.Errorf("document %d: unexpected %s %s", i+1, probe.APIVersion, probe.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("document %d (%s): %w", i+1, probe.Kind, err)
		}
		if errs := validation.IsDNS1123Subdomain(meta.Name); len(errs) > 0 {
			return nil, fmt.Errorf("document %d (%s): name %q: %s", i+1, probe.Kind, meta.Name, strings.Join(errs, "; "))
		}
		if errs := validation.IsDNS1123Label(meta.Namespace); len(errs) > 0 {
			return nil, fmt.Errorf("document %d (%s): namespace %q: %s", i+1, probe.Kind, meta.Namespace, strings.Join(errs, "; "))
		}
	}
	if len(m.Docs) == 0 {
		return nil, fmt.Errorf("no object in the output")
	}
	return m, nil
}

// splitDocuments splits YAML at "---" lines, dropping documents that hold
// only comments.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	for _, part := range bytes.Split(append([]byte("\n"), data...), []byte("\n---\n")) {
		empty := true
		for _, line := range bytes.Split(part, []byte("\n")) {
			if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
				empty = false
				break
			}
		}
		if !empty {
			docs = append(docs, part)
		}
	}
	return docs
}
