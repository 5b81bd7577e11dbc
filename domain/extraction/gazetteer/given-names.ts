/**
 * The middle names and given names (tên đệm, tên) Vietnamese people commonly
 * carry, as lists of Vietnamese personal names give them: a name's words
 * after its family name. With the family names (surnames.ts) they are the
 * vocabulary a name printed in unaccented capitals ("VO THU MINH", a bank's
 * account name or a transfer's content) is checked against: a word that is
 * none of them nor any other Vietnamese word but is one OCR slip away from
 * exactly one of them is corrected (see memo-words.ts).
 */
export const middleNames: ReadonlyArray<string> = (
  "Văn Thị Hữu Đức Công Quang Minh Ngọc Thanh Thu Xuân Hồng Kim Gia Bảo Mỹ Tấn Đình Như Trọng Quốc Thế Duy " +
  "Hoài Khánh Phương Thùy Thúy Tuấn Anh Hoàng Huy Mạnh Phúc Thành Trung Việt Vĩnh Bích Diệu Hải Hà Lan Ánh " +
  "Cẩm Kiều Mai Tường Uyên Vân Hoa Tố Tuyết Nhật Thiện Chí Đăng Khắc Tiến Viết Bá Đại Phước Sỹ Sĩ Khả Nhã " +
  "Trí Bảo Đăng Nguyên Phi Thái Tuệ Cao Ngân Kỳ Quý Tâm Vũ Lệ Trường Phú Hạnh Thiên Hiền Đông Nam Bảo"
).split(" ")

/** Given names: a name's last word. */
export const givenNames: ReadonlyArray<string> = (
  "An Ân Bắc Bằng Bình Bích Cảnh Chánh Châu Chi Chiến Chinh Cúc Cường Danh Dân Diễm Diệp Dung Dũng Duyên Dương " +
  "Đạt Đào Điệp Định Đông Giang Hạnh Hào Hằng Hân Hậu Hiền Hiếu Hiệp Hòa Hoan Hồ Hùng Hưng Hương Hường Huyền " +
  "Khải Khang Khanh Khoa Khôi Kiên Kiệt Lâm Lành Lệ Liên Liêm Liễu Linh Loan Lộc Long Luân Lực Lụa Ly Lý Mận " +
  "Mẫn My Nam Nga Ngân Nghĩa Nguyên Nhàn Nhân Nhi Nhung Ninh Oanh Phát Phong Phú Phụng Phượng Quân Quý Quyên " +
  "Quyết Quỳnh Sang Sáng Sơn Sương Tài Tâm Tân Thảo Thắm Thắng Thơ Thoa Thông Thuận Thương Thủy Thư Tiên Tín " +
  "Tình Toàn Trâm Trang Trí Trinh Trúc Tú Tùng Tuyền Tuyến Uyển Vi Vinh Vũ Vy Xuyến Yên Yến Ý Hạ Nhạn Đông " +
  "Lợi Lương Lan Liên Luyến Nhu Phấn Sen Son Tiền Tới Tuệ Tươi Vượng Hiển Hội Hợp Khuê Lài Lệ Mừng Nở Quế " +
  "Thái Thiên Thịnh Thoại Thuần Tịnh Trường Tư Tưởng Vàng Xinh Yên Em Út Bé Sáu Bảy Tám Chín Mười Hai Ba Tư Năm " +
  "Huệ Bảo Hoàn Kha Lam Luật Lượng Nghị Ngọc Nhiên Sinh Tạo Thạch Thanh Toản Trọng Tuân Tuyên Viên Vương " +
  "Hiệu Khiêm Khánh Kỳ Luận Phi Quyền Sâm Tấn Thức Trị Uy Vỹ Điền Hải Hiên Huân Huấn Kế Khương Lai Lập " +
  "Luyện Mến Miên Quảng Quy Thao Thi Thiết Thìn Thọ Thơm Thuấn Thục Tiệp Toại Tốt Trà Triều Trực Vui Minh " +
  "Tuấn Anh Hoàng Huy Mạnh Phúc Thành Trung Việt Hà Mai Vân Hoa Tuyết Thiện Tiến Đức Công Quang Hồng Kim " +
  "Duy Khoa Phương Thùy Thúy Thu Xuân Uyên Hiếu Hưng Nhàn Phượng Quyên Thảo Loan Hạnh Hoa Giao Diệp Quốc"
).split(" ")
