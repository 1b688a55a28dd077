package dev.spindle.maven;

import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.util.graph.manager.DependencyManagerUtils;
import org.eclipse.aether.util.graph.transformer.ConflictResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a collected dependency graph (conflict resolution in verbose mode, so the losing nodes
 * stay in it): the tree as text, the places where Maven's "nearest wins" chose one of two
 * versions, and the places where a version already loaded was kept instead of the one a POM
 * asked for.
 */
final class ResolutionTree {
    final StringBuilder text = new StringBuilder();
    final List<String> conflicts = new ArrayList<>();
    final List<String> kept = new ArrayList<>();
    private final Map<String, String> pinned;

    private ResolutionTree(Map<String, String> pinned) {
        this.pinned = pinned;
    }

    static ResolutionTree of(DependencyNode root, Map<String, String> pinned) {
        ResolutionTree t = new ResolutionTree(pinned);
        List<DependencyNode> top = root.getChildren();
        for (DependencyNode n : top) t.visit(n, "", "", null);
        return t;
    }

    /** True for a node the conflict resolution dropped (another node of the same artifact won). */
    static boolean lost(DependencyNode n) {
        return n.getData().get(ConflictResolver.NODE_DATA_WINNER) != null;
    }

    private void visit(DependencyNode n, String indent, String branch, DependencyNode parent) {
        Artifact a = n.getArtifact();
        if (a == null) return;
        Object w = n.getData().get(ConflictResolver.NODE_DATA_WINNER);
        if (w instanceof DependencyNode winner) {
            String wv = winner.getArtifact() == null ? "?" : winner.getArtifact().getVersion();
            if (!wv.equals(a.getVersion())) {
                conflicts.add(ga(a) + " " + wv + " chosen over " + a.getVersion() + " (asked for by "
                        + (parent == null ? "you" : coords(parent.getArtifact())) + ")");
                text.append(indent).append(branch).append(coords(a)).append("  (omitted: ").append(wv)
                        .append(" is nearer)\n");
            }
            return;
        }
        String pre = DependencyManagerUtils.getPremanagedVersion(n);
        StringBuilder line = new StringBuilder(coords(a));
        String scope = n.getDependency() == null ? "" : n.getDependency().getScope();
        if (scope.equals("runtime")) line.append(" (runtime)");
        if (pre != null && !pre.equals(a.getVersion())) {
            String by = parent == null ? "you" : coords(parent.getArtifact());
            if (pinned.containsKey(key(a))) {
                kept.add(coords(a) + ", already loaded (" + by + " asked for " + pre + ")");
                line.append("  (").append(pre).append(" asked for; ").append(a.getVersion()).append(" is loaded)");
            } else {
                line.append("  (managed from ").append(pre).append(")");
            }
        }
        text.append(indent).append(branch).append(line).append('\n');
        List<DependencyNode> kids = n.getChildren();
        String childIndent = indent + (branch.isEmpty() ? "" : branch.startsWith("\u251c") ? "\u2502   " : "    ");
        for (int i = 0; i < kids.size(); i++) {
            visit(kids.get(i), childIndent, i == kids.size() - 1 ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ", n);
        }
    }

    static String key(Artifact a) {
        return a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getExtension() + ":" + a.getClassifier();
    }

    static String ga(Artifact a) {
        return a.getGroupId() + ":" + a.getArtifactId();
    }

    static String coords(Artifact a) {
        if (a == null) return "?";
        String s = ga(a);
        if (!a.getExtension().equals("jar") || !a.getClassifier().isEmpty()) s += ":" + a.getExtension();
        if (!a.getClassifier().isEmpty()) s += ":" + a.getClassifier();
        return s + ":" + a.getVersion();
    }
}
