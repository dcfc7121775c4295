"""The 54 ethnic groups of Viet Nam, by their official names (issue 11).

Order and names follow the list of the General Statistics Office (Danh mục các dân tộc Việt Nam,
Quyết định 121-TCTK/PPCĐ, 1979, codes 01–54), Kinh first; the name is what a student's
`ethnicity` stores, so the reports count "ethnic minorities" as every value but Kinh. "H'Mông" is
written as the existing data writes it (the list's "H'mông", also called Mông).
"""

MAJORITY = "Kinh"

ETHNICITIES = (
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "H'Mông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú", "Co",
    "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá",
    "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cờ Lao", "Cống", "Bố Y", "Si La",
    "Pu Péo", "Brâu", "Ơ-đu", "Rơ-măm",
)

assert len(ETHNICITIES) == 54 and len(set(ETHNICITIES)) == 54


def is_ethnic_minority(ethnicity):
    return ethnicity != MAJORITY
