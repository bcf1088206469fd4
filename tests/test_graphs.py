"""helpers.graphs: RNN chain, full and graph masks, and how many steps information needs."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.graphs import (
    check_edges,
    compare_costs,
    format_costs,
    full_mask,
    graph_mask,
    hop_counts,
    rnn_chain_mask,
)


def test_rnn_chain_mask_is_self_and_previous():
    m = rnn_chain_mask(4)
    want = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], dtype=bool)
    np.testing.assert_array_equal(m, want)


def test_full_mask_is_all_true():
    assert full_mask(3).dtype == bool and full_mask(3).all()


def test_graph_mask_is_symmetric_with_self_loops():
    m = graph_mask(4, [(0, 1), (3, 1)])
    want = np.eye(4, dtype=bool)
    want[0, 1] = want[1, 0] = want[1, 3] = want[3, 1] = True
    np.testing.assert_array_equal(m, want)
    np.testing.assert_array_equal(graph_mask(3, []), np.eye(3, dtype=bool))


def test_graph_mask_refuses_unknown_nodes():
    with pytest.raises(ValueError, match=r"edges\[0\] = \(0, 3\): node j must be 0 … 2"):
        graph_mask(3, [(0, 3)])
    with pytest.raises(ValueError, match="node i must be 0 … 2"):
        graph_mask(3, [(-1, 0)])
    with pytest.raises(ValueError, match="n must be"):
        graph_mask(0, [])


@pytest.mark.parametrize(
    "edges, match",
    [
        ([(0.5, 2)], r"edges\[0\] = \(0.5, 2\): node i must be a whole number"),  # not (0, 2)
        ([(0, 1), (1, 2.0)], r"edges\[1\] = \(1, 2.0\): node j must be a whole number"),
        ([(np.nan, 1)], "whole number"),
        ([(True, False)], "whole number"),
        ([("0", "1")], "whole number"),
        ([(0, 1, 2)], r"edges\[0\] must be a pair \(i, j\)"),
        ([(0,)], "must be a pair"),
        ([0, 1], r"edges\[0\] must be a pair"),
        (["01"], "must be a pair"),
        (None, r"\[\] for none"),
        ("01", "list of \\(i, j\\) pairs"),
        (5, "list of \\(i, j\\) pairs"),
        (np.array([[0.0, 1.0]]), "whole number"),
    ],
)
def test_graph_mask_refuses_fractional_or_malformed_edges(edges, match):
    with pytest.raises(ValueError, match=match):
        graph_mask(3, edges)


def test_graph_mask_takes_numpy_integer_edges():
    want = graph_mask(4, [(0, 1), (2, 3)])
    np.testing.assert_array_equal(graph_mask(4, np.array([[0, 1], [2, 3]])), want)
    np.testing.assert_array_equal(graph_mask(4, [(np.int64(0), np.int32(1)), [2, 3]]), want)
    assert check_edges(4, []).shape == (0, 2)


@given(st.integers(1, 12))
def test_bidirectional_rnn_hears_both_sides_one_step_per_word(n):
    D = hop_counts(rnn_chain_mask(n, bidirectional=True))
    i, j = np.indices((n, n))
    np.testing.assert_array_equal(D, np.abs(i - j))
    with pytest.raises(ValueError, match="bidirectional"):
        rnn_chain_mask(n, bidirectional="yes")


@given(st.integers(1, 12))
def test_hops_rnn_is_distance_backwards_only(n):
    D = hop_counts(rnn_chain_mask(n))
    i, j = np.indices((n, n))
    np.testing.assert_array_equal(D[j <= i], (i - j)[j <= i])
    assert np.isinf(D[j > i]).all()


@given(st.integers(1, 12))
def test_hops_full_attention_is_one_layer(n):
    D = hop_counts(full_mask(n))
    np.testing.assert_array_equal(D, 1 - np.eye(n))


def test_hops_graph_is_shortest_path():
    # path 0 - 1 - 2 - 3 and a separate node 4
    D = hop_counts(graph_mask(5, [(0, 1), (1, 2), (2, 3)]))
    assert D[0, 3] == 3 and D[3, 0] == 3 and D[1, 3] == 2 and D[2, 2] == 0
    assert np.isinf(D[4, 0]) and np.isinf(D[0, 4])


@given(st.integers(2, 9), st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=15))
def test_hops_are_symmetric_for_undirected_graphs_and_obey_the_triangle_inequality(n, edges):
    edges = [(a % n, b % n) for a, b in edges]
    D = hop_counts(graph_mask(n, edges))
    np.testing.assert_array_equal(D, D.T)
    for k in range(n):
        assert np.all(D <= D[:, [k]] + D[[k], :])


def test_hop_counts_refuse_non_square_masks():
    with pytest.raises(ValueError, match="square"):
        hop_counts(np.ones((2, 3), dtype=bool))


def test_compare_costs_count_self_attentions_own_projections():
    n, d, edges = 8, 16, 7
    rows = {r["model"]: r for r in compare_costs(n, d, edges, 6)}
    assert list(rows) == [
        "RNN (left to right)",
        "bidirectional RNN",
        "self-attention",
        "GNN (graph edges)",
    ]
    rnn, birnn, sa, gnn = rows.values()
    assert rnn["total"] == 2 * n * d * d  # W aⁱ and U hⁱ⁻¹
    assert birnn["total"] == 2 * rnn["total"]
    assert sa["projections"] == 3 * n * d * d and sa["mixing"] == 2 * n * n * d
    assert gnn["projections"] == sa["projections"] and gnn["mixing"] == 2 * (n + 2 * edges) * d
    assert all(r["total"] == r["projections"] + r["mixing"] for r in rows.values())
    assert (rnn["steps"], rnn["path"], sa["steps"], sa["path"]) == (n, "7", 1, "1")
    assert gnn["path"] == "6"


@given(st.integers(1, 4096), st.integers(1, 1024))
def test_self_attention_never_costs_less_arithmetic_than_an_rnn(n, d):
    rnn, _, sa, _ = compare_costs(n, d, 0, 0)
    assert sa["total"] > rnn["total"]  # what it buys is 1 step in a row, not fewer multiply-adds


def test_format_costs_shows_every_model_and_total():
    rows = compare_costs(8, 16, 7, 6)
    table = format_costs(rows)
    for r in rows:
        assert r["model"] in table and f"{r['total']:,}" in table
    assert max(len(line) for line in table.splitlines()) <= 100


@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans"])
def test_format_costs_keeps_its_columns_in_chinese(language):
    import helpers.language

    try:
        helpers.language.set_language(language)
        lines = format_costs(compare_costs(8, 16, 7, 6)).splitlines()
    finally:
        helpers.language.set_language("en")
    english = format_costs(compare_costs(8, 16, 7, 6)).splitlines()
    assert lines[0] != english[0] and lines[2] != english[2]  # headers and models translated

    def bars(line):  # the display columns of the "|" separators (CJK: 2 wide)
        return [helpers.language.text_width(line[:k]) for k, ch in enumerate(line) if ch == "|"]

    assert all(bars(line) == bars(english[0]) for line in lines[:1] + lines[2:])


@pytest.mark.parametrize(
    "args, match",
    [
        ((8, 4, -1, 6), "n_edges"),
        ((8, 4, None, 6), "n_edges"),
        ((8, 4, 7, None), "diameter"),
        ((8, 4, 7, "x"), "diameter"),
        ((8, 4, 7, float("nan")), "diameter"),
        ((0, 4, 7, 6), "n must be"),
        ((8, 2.5, 7, 6), "d must be"),
    ],
)
def test_compare_costs_refuses_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        compare_costs(*args)


def test_compare_costs_takes_a_graph_in_pieces():
    assert compare_costs(4, 2, 0, float("inf"))[3]["path"] == "inf"


@pytest.mark.parametrize("rows", [None, [], [{}], [1], "table"])
def test_format_costs_refuses_what_compare_costs_did_not_make(rows):
    with pytest.raises(ValueError, match="rows"):
        format_costs(rows)
