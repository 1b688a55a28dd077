package dev.spindle.maven;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code %%pom} and {@code %loadFromPOM} read: a {@code <dependencies>} block, a single
 * {@code <dependency>}, or a whole POM, whose {@code <properties>}, {@code <repositories>} and
 * {@code <dependencyManagement>} (BOM imports included) count too. Test, provided and system
 * scoped dependencies are left out, as Maven leaves them off a runtime class path; the summary
 * says so. A {@code <parent>} is not fetched: properties it would define must be set here.
 */
final class PomText {
    /** The dependencies, management and repositories read, and what was left out and why. */
    record Read(List<Wanted> dependencies, List<Wanted> managed, List<Repo> repositories, List<String> skipped) {
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private PomText() {
    }

    static Read parse(String xml) {
        if (xml.isBlank()) throw new IllegalArgumentException("%%pom needs a <dependencies> block or a POM in the cell");
        Element root = document(xml).getDocumentElement();
        Map<String, String> props = new HashMap<>();
        List<Wanted> deps = new ArrayList<>();
        List<Wanted> managed = new ArrayList<>();
        List<Repo> repos = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        switch (root.getTagName()) {
            case "project" -> {
                properties(root, props);
                Element deps0 = child(root, "dependencies");
                if (deps0 != null) dependencies(deps0, props, deps, skipped, false);
                Element dm = child(root, "dependencyManagement");
                Element dmDeps = dm == null ? null : child(dm, "dependencies");
                if (dmDeps != null) dependencies(dmDeps, props, managed, skipped, true);
                Element rs = child(root, "repositories");
                if (rs != null) {
                    for (Element r : children(rs, "repository")) {
                        repos.add(Repo.of(required(r, "id", props, "repository"), required(r, "url", props, "repository")));
                    }
                }
            }
            case "dependencies" -> dependencies(root, props, deps, skipped, false);
            case "dependency" -> {
                Wanted w = dependency(root, props, false);
                if (keep(w, skipped)) deps.add(w);
            }
            default -> throw new IllegalArgumentException("expected <project>, <dependencies> or <dependency>, found <"
                    + root.getTagName() + ">");
        }
        if (deps.isEmpty() && skipped.isEmpty()) throw new IllegalArgumentException("the POM lists no dependencies");
        return new Read(deps, managed, repos, skipped);
    }

    private static void dependencies(Element parent, Map<String, String> props, List<Wanted> into, List<String> skipped,
                                     boolean management) {
        for (Element d : children(parent, "dependency")) {
            Wanted w = dependency(d, props, management);
            if (management || keep(w, skipped)) into.add(w);
        }
    }

    private static boolean keep(Wanted w, List<String> skipped) {
        if (w.scope().equals("compile") || w.scope().equals("runtime")) return true;
        skipped.add(w.coordinates() + " (scope " + w.scope() + ")");
        return false;
    }

    private static Wanted dependency(Element d, Map<String, String> props, boolean management) {
        String g = required(d, "groupId", props, "dependency");
        String a = required(d, "artifactId", props, "dependency");
        String v = text(d, "version", props);
        String type = text(d, "type", props);
        String classifier = text(d, "classifier", props);
        String scope = text(d, "scope", props);
        List<String> exclusions = new ArrayList<>();
        Element ex = child(d, "exclusions");
        if (ex != null) {
            for (Element e : children(ex, "exclusion")) {
                exclusions.add(required(e, "groupId", props, "exclusion") + ":" + required(e, "artifactId", props, "exclusion"));
            }
        }
        Coordinates c = new Coordinates(g, a, type == null ? "jar" : type, classifier == null ? "" : classifier,
                v == null ? "" : v);
        return new Wanted(c, scope == null ? "compile" : scope, exclusions);
    }

    private static void properties(Element project, Map<String, String> props) {
        Element parent = child(project, "parent");
        String groupId = text(project, "groupId", Map.of());
        String version = text(project, "version", Map.of());
        if (parent != null) {
            if (groupId == null) groupId = text(parent, "groupId", Map.of());
            if (version == null) version = text(parent, "version", Map.of());
        }
        if (groupId != null) props.put("project.groupId", groupId);
        if (version != null) props.put("project.version", version);
        String artifactId = text(project, "artifactId", Map.of());
        if (artifactId != null) props.put("project.artifactId", artifactId);
        Element p = child(project, "properties");
        if (p == null) return;
        for (Node n = p.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) props.put(e.getTagName(), e.getTextContent().strip());
        }
    }

    private static String required(Element e, String tag, Map<String, String> props, String what) {
        String v = text(e, tag, props);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("a <" + what + "> without <" + tag + ">");
        return v;
    }

    private static String text(Element e, String tag, Map<String, String> props) {
        Element c = child(e, tag);
        return c == null ? null : interpolate(c.getTextContent().strip(), props, 0);
    }

    /** Replaces {@code ${name}} from the POM's properties (nested ones too); an unknown one is an error. */
    static String interpolate(String s, Map<String, String> props, int depth) {
        if (depth > 10) throw new IllegalArgumentException("properties refer to each other in a loop: " + s);
        Matcher m = PROPERTY.matcher(s);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            String v = props.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("${" + m.group(1) + "} is not defined: set it in <properties>"
                        + " (a <parent> POM is not read)");
            }
            any = true;
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return any ? interpolate(out.toString(), props, depth + 1) : out.toString();
    }

    private static Element child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) return c;
        }
        return null;
    }

    private static List<Element> children(Element e, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) out.add(c);
        }
        return out;
    }

    private static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // A POM needs no DTD or external entity; refusing them keeps a cell from reading files.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // The default handler prints "[Fatal Error]" on System.err, which is the cell's.
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new StringReader(xml.strip())));
        } catch (org.xml.sax.SAXParseException e) {
            throw new IllegalArgumentException("the POM is not well-formed XML (line " + e.getLineNumber() + "): "
                    + e.getMessage());
        } catch (Exception e) {
            throw new IllegalArgumentException("the POM cannot be read: " + e.getMessage());
        }
    }
}
