import Foundation

/// The web view's HTML building blocks: escaping (every text and attribute from the cluster
/// goes through ``escape(_:)``), path segments for links, and the page frame — one CSS
/// block, a viewport for phones, no script but what a page passes in.
public enum HTML {
    /// `text` safe inside an element or a quoted attribute: `& < > " '` as entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// `text` as one URL path segment or query value (RFC 3986 unreserved characters kept).
    public static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `?a=1&b=2` from the pairs whose value is not empty, in order ("" when none).
    public static func query(_ items: [(String, String)]) -> String {
        let kept = items.filter { !$0.1.isEmpty }
        return kept.isEmpty ? "" : "?" + kept.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }

    /// `<a href="…">text</a>`, both escaped.
    public static func link(_ href: String, _ text: String) -> String {
        "<a href=\"\(escape(href))\">\(escape(text))</a>"
    }

    /// A table: a caption, header cells (`scope="col"`) and rows of already-built cell HTML.
    public static func table(caption: String, headers: [String], rows: [[String]]) -> String {
        var out = "<div class=\"scroll\"><table>\n<caption>\(escape(caption))</caption>\n<thead><tr>"
        for header in headers { out += "<th scope=\"col\">\(escape(header))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    /// The start of a page, up to and including `<main>`: streamed pages write it first.
    /// `root` is the relative path to the web view's root (`./`, `../../../`), so that links
    /// work under whatever prefix a proxy serves the view at.
    public static func head(title: String, root: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Slipway</title>
        <style>\(css)</style>
        </head>
        <body>
        <header><nav aria-label="Slipway"><a href="\(escape(root))">Slipway jobs</a></nav></header>
        <main>

        """
    }

    /// The end of a page.
    public static let tail = "</main>\n</body>\n</html>\n"

    /// A whole page.
    public static func page(title: String, root: String, body: String) -> String {
        head(title: title, root: root) + body + tail
    }

    /// Colours chosen for a contrast of at least 4.5:1 on their backgrounds (WCAG AA).
    static let css = """
        body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;background:#fff}\
        header{background:#123;padding:.5rem 1rem}header a{color:#fff;font-weight:600;text-decoration:none}\
        main{padding:0 1rem 2rem;max-width:80rem}a{color:#0645ad}h1{font-size:1.4rem;word-break:break-all}\
        h2{font-size:1.15rem;margin-top:1.6rem}.scroll{overflow-x:auto}\
        table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}\
        th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef}\
        form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:1rem 0}\
        label{display:flex;flex-direction:column;font-size:.85rem}input,select,button{font:inherit;padding:.25rem}\
        .phase{font-weight:600}.Failed{color:#a00000}.Succeeded{color:#05661b}.Running,.Submitted{color:#0b4f8a}\
        .Queued,.Pending,.Retrying,.Suspended{color:#6b4700}\
        pre{background:#f6f6f6;border:1px solid #ccc;padding:.5rem;overflow-x:auto;font-size:.85rem;line-height:1.35}\
        .log{white-space:pre-wrap;word-break:break-all}.err{background:#ffe3e3;color:#7a0000;display:block}\
        .exception{border-left:4px solid #a00000;background:#fff0f0;padding:.5rem 1rem}\
        .note{color:#444}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
        """
}
