package kubecheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"
)

// The Gateway API's CRDs carry an OpenAPI schema the API server enforces
// (patterns, enums, sizes, required fields) beyond what the Go types
// express. CheckSchema validates the documents against the standard
// channel's CRDs of the gateway-api module this binary was built with, read
// from the module cache. The CEL rules (x-kubernetes-validations) are not
// evaluated here; CheckCELRules covers the ones an output can break.

// schema is the subset of OpenAPI v3 the CRDs use that matters here.
type schema struct {
	Type                 string             `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	MaxItems             *int               `json:"maxItems"`
	MinItems             *int               `json:"minItems"`
	MaxLength            *int               `json:"maxLength"`
	MinLength            *int               `json:"minLength"`
	Maximum              *float64           `json:"maximum"`
	Minimum              *float64           `json:"minimum"`
	Pattern              string             `json:"pattern"`
	Enum                 []any              `json:"enum"`
	AdditionalProperties any                `json:"additionalProperties"`
	XPreserveUnknown     bool               `json:"x-kubernetes-preserve-unknown-fields"`
	re                   *regexp.Regexp
}

type crd struct {
	Spec struct {
		Versions []struct {
			Name   string `json:"name"`
			Schema struct {
				OpenAPIV3Schema *schema `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

var (
	schemasOnce sync.Once
	schemas     map[string]*schema // by kind
	schemasErr  error
)

// gatewayAPIDir is the gateway-api module's directory in the module cache:
// the version this binary was built with (test binaries carry no module
// list, so `go list -m` asks the module the tests run in).
func gatewayAPIDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/gateway-api").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m sigs.k8s.io/gateway-api: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("sigs.k8s.io/gateway-api is not in the module cache (go mod download)")
	}
	return dir, nil
}

func loadSchemas() (map[string]*schema, error) {
	schemasOnce.Do(func() {
		dir, err := gatewayAPIDir()
		if err != nil {
			schemasErr = err
			return
		}
		schemas = map[string]*schema{}
		for kind, file := range map[string]string{"Gateway": "gateways", "HTTPRoute": "httproutes"} {
			data, err := os.ReadFile(filepath.Join(dir, "config", "crd", "standard", "gateway.networking.k8s.io_"+file+".yaml"))
			if err != nil {
				schemasErr = err
				return
			}
			var c crd
			if err := yaml.Unmarshal(data, &c); err != nil {
				schemasErr = fmt.Errorf("%s CRD: %w", kind, err)
				return
			}
			for _, v := range c.Spec.Versions {
				if v.Name == "v1" {
					schemas[kind] = v.Schema.OpenAPIV3Schema
				}
			}
			if schemas[kind] == nil {
				schemasErr = fmt.Errorf("%s CRD has no v1 schema", kind)
				return
			}
			compile(schemas[kind])
		}
	})
	return schemas, schemasErr
}

// CheckSchema validates every Gateway API document against its CRD's
// schema. It returns every violation, each with its JSON path.
func CheckSchema(m *Manifests) ([]string, error) {
	s, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	var problems []string
	for i, d := range m.Docs {
		sch := s[d.Kind]
		if sch == nil {
			continue // Ingress: a built-in type, the Go type is its schema
		}
		walk(sch, d.Value, fmt.Sprintf("%s[%d]", d.Kind, i), &problems)
	}
	return problems, nil
}

// compile compiles every pattern once, before any concurrent use. A
// pattern RE2 cannot compile (ECMA-only syntax) stays unchecked.
func compile(s *schema) {
	if s == nil {
		return
	}
	if s.Pattern != "" {
		s.re, _ = regexp.Compile(s.Pattern)
	}
	for _, p := range s.Properties {
		compile(p)
	}
	compile(s.Items)
}

func walk(s *schema, v any, path string, problems *[]string) {
	bad := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	if v == nil {
		return
	}
	if len(s.Enum) > 0 {
		found := false
		for _, e := range s.Enum {
			if fmt.Sprint(e) == fmt.Sprint(v) {
				found = true
			}
		}
		if !found {
			bad("%v is not one of %v", v, s.Enum)
		}
	}
	switch s.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("want an object, got %T", v)
			return
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				bad("%s is required", r)
			}
		}
		for k, val := range obj {
			if p := s.Properties[k]; p != nil {
				walk(p, val, path+"."+k, problems)
			} else if s.Properties != nil && !s.XPreserveUnknown && s.AdditionalProperties == nil && path != "" && k != "metadata" {
				bad("unknown field %s", k)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			bad("want a list, got %T", v)
			return
		}
		if s.MaxItems != nil && len(arr) > *s.MaxItems {
			bad("%d items, at most %d", len(arr), *s.MaxItems)
		}
		if s.MinItems != nil && len(arr) < *s.MinItems {
			bad("%d items, at least %d", len(arr), *s.MinItems)
		}
		if s.Items != nil {
			for i, item := range arr {
				walk(s.Items, item, fmt.Sprintf("%s[%d]", path, i), problems)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("want a string, got %T (%v)", v, v)
			return
		}
		if s.MaxLength != nil && len(str) > *s.MaxLength {
			bad("%d characters, at most %d", len(str), *s.MaxLength)
		}
		if s.MinLength != nil && len(str) < *s.MinLength {
			bad("%d characters, at least %d", len(str), *s.MinLength)
		}
		if s.re != nil && !s.re.MatchString(str) {
			bad("%q does not match %s", str, s.Pattern)
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			bad("want an integer, got %v", v)
			return
		}
		if s.Maximum != nil && n > *s.Maximum {
			bad("%v is above %v", n, *s.Maximum)
		}
		if s.Minimum != nil && n < *s.Minimum {
			bad("%v is below %v", n, *s.Minimum)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want true or false, got %v", v)
		}
	}
}
