import KubeAPI
import KubeRuntime
import Testing

/// Every test runs on both storages: kept as objects, and kept compact (decoded on read).
@Suite("Store")
struct StoreTests {
    static let storages: [Store<Widget>.Storage] = [.objects, .compact]

    func makeStore(_ storage: Store<Widget>.Storage) -> Store<Widget> {
        Store(indexes: [.namespace, .controllerUID, .label("team")], storage: storage)
    }

    func names(_ widgets: [Widget]) -> [String] { widgets.map(\.name) }

    @Test(arguments: storages) func indexesFollowAddsUpdatesAndDeletes(storage: Store<Widget>.Storage) {
        let store = makeStore(storage)
        store.add(Widget("a", labels: ["team": "data"], owner: "job1"))
        store.add(Widget("b", labels: ["team": "data"], owner: "job2"))
        store.add(Widget("c", namespace: "other", labels: ["team": "ml"], owner: "job1"))
        store.add(Widget("d", namespace: nil))

        #expect(names(store.byIndex(.namespace, value: "default")) == ["a", "b"])
        #expect(names(store.byIndex(.controllerUID, value: "uid-job1")) == ["a", "c"])  // default/a < other/c
        #expect(names(store.byIndex("label:team", value: "data")) == ["a", "b"])
        #expect(store.indexValues("label:team") == ["data", "ml"])
        #expect(store.count(inIndex: "label:team", value: "data") == 2)
        #expect(store.count(inIndex: "label:team", value: "none") == 0)

        // An update moves the object between index values.
        let old = store.update(Widget("b", labels: ["team": "ml"], owner: "job2"))
        #expect(old?.metadata.labels["team"] == "data")
        #expect(names(store.byIndex("label:team", value: "data")) == ["a"])
        #expect(Set(names(store.byIndex("label:team", value: "ml"))) == ["b", "c"])
        #expect(store.count(inIndex: "label:team", value: "data") == 1)
        #expect(store.count(inIndex: "label:team", value: "ml") == 2)

        store.delete(Widget("a"))
        #expect(store.byIndex(.controllerUID, value: "uid-job1").map(\.name) == ["c"])
        #expect(store.byIndex("label:team", value: "data").isEmpty)
        #expect(store.indexValues("label:team") == ["ml"])
        #expect(store.get(name: "d", namespace: nil)?.name == "d")
        #expect(store.count == 3)
    }

    @Test(arguments: storages) func listAndKeysAreInKeyOrder(storage: Store<Widget>.Storage) {
        let store = makeStore(storage)
        for name in ["c", "a", "b"] { store.add(Widget(name)) }
        #expect(names(store.list()) == ["a", "b", "c"])
        #expect(store.keys().map(\.description) == ["default/a", "default/b", "default/c"])
    }

    @Test(arguments: storages) func replaceReportsDeletesForVanishedObjectsThenAddsAndUpdates(storage: Store<Widget>.Storage) {
        let store = makeStore(storage)
        store.add(Widget("a", rv: "1"))
        store.add(Widget("b", rv: "2"))
        store.add(Widget("z", rv: "3"))

        let changes = store.replace([Widget("c", rv: "7"), Widget("a", rv: "5")], resourceVersion: "9")
        let described = changes.map { change -> String in
            switch change {
            case .added(let w): "add \(w.name)"
            case .updated(let old, let new): "update \(new.name) \(old.metadata.resourceVersion!)→\(new.metadata.resourceVersion!)"
            case .deleted(let w): "delete \(w.name)"
            }
        }
        #expect(described == ["delete b", "delete z", "add c", "update a 1→5"])
        #expect(names(store.list()) == ["a", "c"])
        #expect(store.resourceVersion == "9")
        #expect(store.byIndex(.namespace, value: "default").count == 2)
    }

    /// What a compact store gives back is what was put in: key order, the text of numbers,
    /// nested objects and arrays, nulls.
    @Test func compactStorageGivesBackWhatWasStored() throws {
        let store = makeStore(.compact)
        var widget = Widget("n", labels: ["team": "data"], owner: "job1")
        let extra = try JSON.parse(#"{"z": 1.50, "a": [true, null, {"k": "v\u00e9\n"}], "big": 12345678901234567890, "e": 1e3}"#)
        widget.object["spec"] = extra
        store.add(widget)
        let back = try #require(store.get(name: "n", namespace: "default"))
        #expect(back == widget)
        #expect(JSON.string(back.json) == JSON.string(widget.json))
        #expect(store.byIndex(.controllerUID, value: "uid-job1") == [widget])
        #expect(store.delete(widget) == widget)
        #expect(store.count == 0)
    }
}
