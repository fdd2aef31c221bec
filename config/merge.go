package config

import (
	"fmt"
	"reflect"
)

// Merge keeps both sides of a conflict: the settings of theirs (the file
// as it is on disk now) with every change mine made to base (the file as it
// was loaded) applied on top. A value mine changed takes mine's value; a
// list mine changed is taken whole (list entries have no identity to merge
// them by). clashes lists the paths both changed, differently, where mine
// won. Write the result with WriteOptions{Overwrite: true}: the file keeps
// its comments and layout and holds both changes.
func Merge(base, mine, theirs *File) (merged *File, clashes []string) {
	merged = theirs.Clone()
	mergeValue(reflect.ValueOf(merged).Elem(), reflect.ValueOf(base).Elem(), reflect.ValueOf(mine).Elem(), reflect.ValueOf(theirs).Elem(), "", &clashes)
	merged.HasProxy = theirs.HasProxy || mine.HasProxy && !base.HasProxy
	return merged, clashes
}

func mergeValue(out, base, mine, theirs reflect.Value, path string, clashes *[]string) {
	if equalValues(base, mine) {
		return // mine left it: theirs stays
	}
	if mine.Kind() == reflect.Struct {
		for _, f := range schemaOf(mine.Type()).fields {
			mergeValue(out.Field(f.index), base.Field(f.index), mine.Field(f.index), theirs.Field(f.index), joinKey(path, f.key), clashes)
		}
		return
	}
	if !equalValues(base, theirs) && !equalValues(mine, theirs) {
		*clashes = append(*clashes, fmt.Sprintf("%s: yours %s, theirs %s", path, shown(mine), shown(theirs)))
	}
	if mine.Kind() == reflect.Slice {
		out.Set(reflect.AppendSlice(reflect.MakeSlice(mine.Type(), 0, mine.Len()), mine))
		return
	}
	out.Set(mine)
}

// Merge decodes the file as the conflict found it and merges mine into it:
// every change mine made to the settings as loaded (the function Merge; for
// a file created since, the example or defaults the editing started from).
// For settings loaded from the vendor's JSON, their file was never loaded:
// the values the JSON carries go into it too, and the rest of it stays
// (what Write with Overwrite writes). It fails when their file is not
// valid settings.
func (d *Document) Merge(c *Conflict, mine *File) (*File, []string, error) {
	if !c.Exists {
		return nil, nil, fmt.Errorf("%s was deleted: nothing to merge with", c.Path)
	}
	if d.source == FromVendorJSON {
		theirs, err := decodeSettings(c.Theirs)
		if err != nil {
			return nil, nil, withPath(err, c.Path)
		}
		merged, clashes := vendorOnto(d.file, mine, theirs)
		return merged, clashes, nil
	}
	theirs, _, err := decode(c.Theirs)
	if err != nil {
		return nil, nil, withPath(err, c.Path)
	}
	merged, clashes := Merge(d.file, mine, theirs)
	return merged, clashes, nil
}
